import "next-auth";
import "next-auth/jwt";

// Warden's next-auth "user" and "token" carry only the opaque session token.
declare module "next-auth" {
  interface User {
    sessionToken?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sessionToken?: string;
  }
}
