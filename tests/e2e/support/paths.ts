// Per port, so two runs on one machine (E2E_PORT) never read each other's server.
const port = process.env.E2E_PORT ?? "3210";
export const SERVER_LOG = `test-results/e2e-server-${port}.log`;
export const STATE_FILE = `test-results/e2e-state-${port}.json`;
