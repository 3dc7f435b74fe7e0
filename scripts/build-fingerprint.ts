import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

// What a production build depends on; when any of it changes, `npm start` rebuilds.
const INPUTS = ["app", "components", "lib", "middleware.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json", "prisma/schema.prisma"];

function walk(path: string, out: string[]) {
  if (!existsSync(path) || path.includes("generated")) return;
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) walk(join(path, entry), out);
  else out.push(path);
}

export function buildFingerprint(): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(input, files);
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

export const FINGERPRINT_FILE = join(".next", "warden-build-fingerprint");

export function buildIsCurrent(): boolean {
  return existsSync(join(".next", "BUILD_ID")) && existsSync(FINGERPRINT_FILE) && readFileSync(FINGERPRINT_FILE, "utf8") === buildFingerprint();
}
