// When npm resolves the lockfile on a machine whose registry serves only this
// platform's native binaries, other platforms' optional packages are left out and
// `npm ci` then refuses the lockfile. This records them as optional, platform-bound
// entries (npm skips them here and fetches them where they apply).
// Run after `npm install` changes dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;

const PLATFORM = /-(android|darwin|freebsd|linux|win32|wasm32|openbsd|sunos|aix)-?([a-z0-9]+)?/;
function platformOf(name) {
  const m = PLATFORM.exec(name.split("/").pop());
  if (!m) return {};
  if (m[1] === "wasm32") return { cpu: ["wasm32"] };
  const cpu = (m[2] ?? "").replace("gnueabihf", "").replace(/^arm$/, "arm") || undefined;
  const arch = /arm64|aarch64/.test(name) ? "arm64" : /x64|x86_64/.test(name) ? "x64" : /ia32/.test(name) ? "ia32" : /-arm-|-arm$/.test(name) ? "arm" : cpu;
  const libc = /musl/.test(name) ? ["musl"] : /gnu/.test(name) && m[1] === "linux" ? ["glibc"] : undefined;
  return { os: [m[1]], ...(arch ? { cpu: [arch] } : {}), ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[base] || packages[`node_modules/${name}`]) continue;
    const version = String(range).replace(/^[\^~=]/, "");
    packages[`node_modules/${name}`] = { version, optional: true, ...platformOf(name) };
    added++;
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`recorded ${added} optional platform packages`);
