import { AppError } from "../errors";
import { withSystem } from "../db/system";
import { getDummyHash, verifyPassword } from "./password";

export const INVALID_CREDENTIALS = "Invalid email or password";

/**
 * The user whose email and password match, or one generic refusal. An unknown
 * email is checked against a dummy hash so it costs as long as a wrong password.
 */
export async function verifyCredentials(email: string, password: string) {
  const user = await withSystem((tx) =>
    tx.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } }),
  );
  const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !ok) throw new AppError("unauthenticated", INVALID_CREDENTIALS);
  return user;
}
