import pg from "pg";
import type { KeyProvider } from "./key-provider";
import { recordKeyHistory } from "./key-history";
import { dataKeyFingerprints } from "./rewrap-data-keys";

export class MissingWrappingKeyError extends Error {
  constructor(
    readonly missing: { fingerprint: string; dataKeys: number }[],
    current: string,
  ) {
    const named = missing.map((m) => `${m.fingerprint} (${m.dataKeys} workspace data key${m.dataKeys === 1 ? "" : "s"})`).join(", ");
    super(
      `workspace data keys are wrapped under master key ${named}, which is not configured (the current key is ${current}). ` +
        `Put the old master key in WARDEN_PREVIOUS_MASTER_KEYS (comma-separated, beside the new WARDEN_MASTER_KEY), start again, ` +
        `and run \`npm run keys:rotate\` to re-wrap them under the current key.`,
    );
    this.name = "MissingWrappingKeyError";
  }
}

/**
 * Start-up's check, as the owner, after the migrations: every workspace data key
 * must be wrapped under a fingerprint the configured provider holds, or the server
 * would start and then fail on the first secret it seals or opens. Refuses
 * (MissingWrappingKeyError naming each missing fingerprint and the fix) otherwise;
 * then records the configured fingerprints in key_history. Reads one grouped count
 * (an index on kek_fingerprint), never a key.
 */
export async function checkWrappingKeys(options: { ownerUrl: string; provider: KeyProvider }): Promise<void> {
  const { provider } = options;
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    const inUse = await dataKeyFingerprints(client);
    const held = new Set(provider.fingerprints);
    const missing = [...inUse].filter(([fingerprint]) => !held.has(fingerprint)).map(([fingerprint, dataKeys]) => ({ fingerprint, dataKeys }));
    if (missing.length) throw new MissingWrappingKeyError(missing, provider.fingerprint);
    await recordKeyHistory(client, { provider });
  } finally {
    await client.end();
  }
}
