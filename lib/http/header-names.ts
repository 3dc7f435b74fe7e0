// Request headers that middleware.ts overwrites on every request, so neither can be forged.
export const REQUEST_ID_HEADER = "x-request-id";
// What the client called its request, kept apart from the server's own id and never trusted as one.
export const CLIENT_REQUEST_ID_HEADER = "x-warden-client-request-id";
export const CLIENT_IP_HEADER = "x-warden-ip";
export const NONCE_HEADER = "x-nonce";
// The path and query the browser asked for, so a page that sends a person elsewhere first (MFA enrollment) can bring them back.
export const REQUEST_PATH_HEADER = "x-warden-path";
