// `npm run account:recover -- --email <address> [--clear-mfa]`: for the instance
// operator, on the server. Prints a one-time link, good for one hour, with which
// the person sets a new password (every session of theirs ends). With --clear-mfa
// their two-factor authentication is cleared when the link is used. The link is
// recorded in the person's account log. Exit code 0 on success, 1 when no account
// has that email, 2 on misuse.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { userInfo } from "node:os";
import { openOperatorDatabase } from "../lib/db/operator-database";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

const USAGE = "usage: npm run account:recover -- --email <address> [--clear-mfa]";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: "string" }, "clear-mfa": { type: "boolean", default: false } } });
  if (!values.email || !values.email.includes("@")) {
    console.error(USAGE);
    return 2;
  }
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  // The audit chain's key comes from the master key, as in the server: on the
  // embedded path from the generated secrets, else from the operator's settings.
  if (!process.env.DATABASE_URL) process.env.WARDEN_MASTER_KEY ??= loadOrCreateLocalSecrets(dataDir).WARDEN_MASTER_KEY;
  // As the database owner, like the other operator commands: it writes the link and
  // its audit event, never migrates and never creates or alters a role.
  const db = await openOperatorDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, readOnly: false });
  try {
    // The domain code reaches the database through its one door; here as the owner.
    process.env.APP_DATABASE_URL = db.ownerUrl;
    process.env.LOG_LEVEL ??= "warn";
    const { issueOperatorResetLink } = await import("../lib/recovery/issue-operator-reset-link");
    const { isAppError } = await import("../lib/errors");
    try {
      const result = await issueOperatorResetLink({ email: values.email, clearMfa: values["clear-mfa"] ?? false, operator: userInfo().username });
      console.log(`Reset link for ${values.email.trim().toLowerCase()} (works once, until ${result.expiresAt.toISOString()}):\n\n  ${result.url}\n`);
      console.log(
        !result.hadMfa
          ? "The account has no two-factor authentication."
          : result.clearMfa
            ? "Two-factor authentication will be cleared when the link is used; where a workspace requires it, they set it up again at their next sign-in."
            : "Two-factor authentication stays on: they still need their authenticator or a recovery code (add --clear-mfa if they lost both).",
      );
      console.log("Any earlier reset link for this account no longer works. Hand the link over privately: it is as good as their password.");
      return 0;
    } catch (error) {
      if (isAppError(error) && error.code === "not_found") {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
  } finally {
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`account:recover failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
