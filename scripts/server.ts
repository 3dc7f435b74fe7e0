// The HTTP server in front of Next. Next only fills X-Forwarded-For when a client
// did not send one, so a client could name any address; here the header is rebuilt
// from the socket: the peer alone, or the peer appended to the chain when
// TRUST_PROXY_HOPS says proxies stand in front.
import { createServer } from "node:http";
import next from "next";
import { getConfig } from "../lib/config";
import { startMaintenance } from "../lib/maintenance/run-maintenance";

const dev = process.argv.includes("--dev");
const config = getConfig();
const app = next({ dev, hostname: "localhost", port: config.PORT });

async function main() {
  await app.prepare();
  const handle = app.getRequestHandler();
  createServer((req, res) => {
  const peer = req.socket.remoteAddress ?? "";
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  req.headers["x-forwarded-for"] = (config.TRUST_PROXY_HOPS > 0 ? [...forwarded, peer] : [peer]).join(", ");
  void handle(req, res);
  }).listen(config.PORT, () => console.log(`[warden] listening on port ${config.PORT}`));
  // Periodic jobs (the purge of secrets deleted more than 30 days ago), once per server process.
  startMaintenance();
}

main().catch((error) => {
  console.error(`[warden] the server failed to start: ${(error as Error).message}`);
  process.exit(1);
});
