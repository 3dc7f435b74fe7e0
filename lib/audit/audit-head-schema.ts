import { z } from "zod";

export const auditHeadQuerySchema = z.object({});

export const auditHeadSchema = z.object({
  workspace_id: z.uuid(),
  seq: z.string().describe('The newest event\'s position in the chain (a decimal integer; "0" for an empty log).'),
  hash: z.string().describe("That event's hash (HMAC-SHA256, hex)."),
  occurred_at: z.string().nullable().describe("When it happened (UTC, ISO 8601)."),
  key_id: z.string().describe("The id of the server's audit key generation that signed this head."),
  signature: z.string().describe('Ed25519 signature (base64) over the UTF-8 lines "warden-audit-head-v1", workspace_id, seq, hash, occurred_at (or "-"), key_id, joined by \\n.'),
  public_key: z.string().describe("The Ed25519 public key (PEM, SPKI) to check the signature with; pin it the first time."),
});
