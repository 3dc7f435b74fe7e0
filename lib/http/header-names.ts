// Request headers that middleware.ts overwrites on every request, so neither can be forged.
export const REQUEST_ID_HEADER = "x-request-id";
// What the client called its request, kept apart from the server's own id and never trusted as one.
export const CLIENT_REQUEST_ID_HEADER = "x-warden-client-request-id";
export const CLIENT_IP_HEADER = "x-warden-ip";
export const NONCE_HEADER = "x-nonce";
