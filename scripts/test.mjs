// `npm test`: generate the client, type-check, run Vitest, then the browser tests
// in the system's Chromium. Without Chromium, outside CI, everything else still runs
// and the last lines say how to get the browser tests; in CI they are mandatory.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const steps = [
  ["prisma client", "npm", ["run", "-s", "prisma:generate"]],
  ["type-check", "npx", ["tsc", "--noEmit"]],
  ["unit and integration tests", "npx", ["vitest", "run"]],
];

function run(label, command, args) {
  console.log(`\n[test] ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n[test] ${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

for (const [label, command, args] of steps) run(label, command, args);

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ci = process.env.CI === "true" || process.env.CI === "1";
if (!existsSync(chromium)) {
  const how = [
    `No Chromium at ${chromium}, so the browser tests did not run.`,
    "To run them: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu),",
    "or point CHROMIUM_PATH at an existing Chromium or Chrome binary, then run `npm test` or `npm run test:e2e`.",
  ];
  if (ci) {
    console.error(`\n[test] ${how[0]} In CI the browser tests are mandatory.`);
    process.exit(1);
  }
  console.log(`\n[test] Unit and integration tests passed.\n[test] ${how.join("\n[test] ")}`);
  process.exit(0);
}

run("browser tests", "npx", ["playwright", "test"]);
