// Request headers that middleware.ts overwrites on every request, so neither can be forged.
export const REQUEST_ID_HEADER = "x-request-id";
export const CLIENT_IP_HEADER = "x-warden-ip";
export const NONCE_HEADER = "x-nonce";
