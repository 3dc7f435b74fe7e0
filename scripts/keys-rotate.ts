// `npm run keys:rotate`: re-wrap, under WARDEN_MASTER_KEY, every workspace data key
// still wrapped under one of WARDEN_PREVIOUS_MASTER_KEYS (secret values stay as they
// are: they are sealed with the data keys), re-encrypt every value still sealed under
// an old key, record the fingerprints in key_history, and say when none is left, so
// the old keys can be retired. Run it with the same settings as the server (on the
// embedded path the generated key is read from the secrets file). Exit code 0 when no
// data key or value needs an old key any more, 1 when some still do, 2 on misuse.
import { resolve } from "node:path";
import pg from "pg";
import { ConfigError, parseConfig } from "../lib/config";
import { keyringFrom } from "../lib/crypto/envelope";
import { fingerprintsInUse, recordKeyHistory } from "../lib/crypto/key-history";
import { keyProviderFrom } from "../lib/crypto/key-provider";
import { rewrapDataKeys } from "../lib/crypto/rewrap-data-keys";
import { rotateSealedValues } from "../lib/crypto/rotate-sealed-values";
import { openOperatorDatabase } from "../lib/db/operator-database";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

async function main(): Promise<number> {
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: "development" };
  if (!env.DATABASE_URL) env.WARDEN_MASTER_KEY ??= loadOrCreateLocalSecrets(dataDir).WARDEN_MASTER_KEY;
  const config = parseConfig(env);
  if (!config.WARDEN_MASTER_KEY) throw new ConfigError("WARDEN_MASTER_KEY is required: it is the key values are re-encrypted under");
  const previous = (config.WARDEN_PREVIOUS_MASTER_KEYS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const keyring = keyringFrom(config.WARDEN_MASTER_KEY, previous);
  const provider = keyProviderFrom(config.WARDEN_MASTER_KEY, previous);

  // Writes only wrapped data keys, sealed columns and key_history, as the owner; never
  // migrates and never touches a role.
  const db = await openOperatorDatabase({ databaseUrl: config.DATABASE_URL, dataDir, readOnly: false });
  const client = new pg.Client({ connectionString: db.ownerUrl });
  try {
    await client.connect();
    const keys = await rewrapDataKeys({ client, provider });
    const report = await rotateSealedValues({ client, keyring });
    await recordKeyHistory(client, { provider, inUse: await fingerprintsInUse(client) });
    console.log(`current key: ${provider.fingerprint}`);
    const unknown = Object.entries(keys.unknown).map(([fingerprint, n]) => `${n} wrapped under ${fingerprint}, which is not configured`);
    console.log(
      `workspace_data_keys.wrapped_key: ${keys.rewrapped} re-wrapped, ${keys.current} already current` +
        (unknown.length ? `, ${unknown.join(", ")}` : "") +
        (keys.tampered ? `, ${keys.tampered} could not be unwrapped (altered)` : ""),
    );
    for (const c of report.columns) {
      console.log(`${c.name}: ${c.reencrypted} re-encrypted, ${c.current} already current${c.unreadable ? `, ${c.unreadable} sealed under a key not configured` : ""}`);
    }
    if (keys.remaining === 0 && report.remaining === 0) {
      console.log("No data key or value uses an older key any more: WARDEN_PREVIOUS_MASTER_KEYS can be emptied and the old keys retired.");
      return 0;
    }
    if (keys.remaining) console.error(`${keys.remaining} workspace data key(s) still use an older key; keep WARDEN_PREVIOUS_MASTER_KEYS and run this again.`);
    if (report.remaining) console.error(`${report.remaining} value(s) still use an older key; keep WARDEN_PREVIOUS_MASTER_KEYS and run this again.`);
    return 1;
  } finally {
    await client.end();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`keys:rotate failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
