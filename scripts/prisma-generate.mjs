// `prisma generate` does not run the schema engine, but the CLI insists on
// finding one and would download it. Point it at a stub so generation works offline.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "warden-prisma-"));
const stub = join(dir, "schema-engine");
writeFileSync(stub, "#!/bin/sh\necho 'schema engine unavailable offline' >&2\nexit 1\n");
chmodSync(stub, 0o755);

execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
