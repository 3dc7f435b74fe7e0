export const SERVER_LOG = "test-results/e2e-server.log";
export const STATE_FILE = "test-results/e2e-state.json";
