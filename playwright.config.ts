import { defineConfig } from "@playwright/test";

// Real Chromium from the system (never a downloaded browser) against a production
// build started by `scripts/start.ts` on a fresh embedded database.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: `test-results/e2e-${E2E_PORT}`,
  globalSetup: "./tests/e2e/support/global-setup.ts",
  globalTeardown: "./tests/e2e/support/global-teardown.ts",
  // Multi-browser journeys (an invitee joining, a role change, a removal) ran past 60 s on two
  // cores under load; a test that hangs still fails, only later.
  timeout: 120_000,
  // A server action and the page it revalidates can take more than 10 s on two cores under
  // the whole suite's load (an agent's creation did once in CI); a condition that never
  // becomes true still fails, only later.
  expect: { timeout: 20_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  // In CI a failed test runs once more, and the report lists it as flaky, so a timing hiccup
  // on a loaded two-core machine does not hide the rest of the run; a broken feature fails both.
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts/ },
    { name: "console", testIgnore: /first-run\.spec\.ts/, dependencies: ["first-run"] },
  ],
});
