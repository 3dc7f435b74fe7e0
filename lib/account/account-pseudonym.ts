import "server-only";
import { createHash } from "node:crypto";
import { getConfig } from "../config";

/**
 * The label an erased account's audit events keep: the same for all of one
 * person's events (so a reader still sees that one actor did them), derived from
 * the account's id and a server secret (so nobody holding only the database or an
 * export can tell whose account it was by hashing candidate ids).
 */
export function accountPseudonym(userId: string): string {
  const secret = getConfig().AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set");
  return `deleted-user-${createHash("sha256")
    .update(userId + secret, "utf8")
    .digest("hex")
    .slice(0, 12)}`;
}
