// The HTTP server in front of Next. Next only fills X-Forwarded-For when a client
// did not send one, so a client could name any address; here the header is rebuilt
// from the socket: the peer alone, or the peer appended to the chain when
// TRUST_PROXY_HOPS says proxies stand in front.
//
// On SIGTERM (or SIGINT) it drains: /api/health/ready answers 503; the listener
// stops accepting (after WARDEN_DRAIN_DELAY_SECONDS, for a load balancer to notice);
// idle keep-alive connections close; requests in flight finish (for up to 10 s) and
// their connections close after the response; the maintenance timers stop; then the
// database pool and Redis close and the process exits 0.
import { createServer } from "node:http";
import net, { type Socket } from "node:net";
import next from "next";
import { getConfig } from "../lib/config";
import { startMaintenance } from "../lib/maintenance/run-maintenance";
import { closeConnections, startDraining } from "../lib/server/lifecycle";

const DRAIN_MS = 10_000;
const dev = process.argv.includes("--dev");
const config = getConfig();
const app = next({ dev, hostname: "localhost", port: config.PORT });
const say = (line: string) => console.log(`[warden] ${line}`);

async function main() {
  await app.prepare();
  const handle = app.getRequestHandler();
  // Per connection: requests in flight, and whether it has served one yet.
  const connections = new Map<Socket, { active: number; served: boolean }>();
  let draining = false;

  const server = createServer((req, res) => {
    const socket = req.socket;
    const state = connections.get(socket) ?? { active: 0, served: false };
    connections.set(socket, state);
    state.active += 1;
    // Draining: this response closes its connection ("Connection: close").
    if (draining) res.shouldKeepAlive = false;
    res.on("close", () => {
      state.active -= 1;
      state.served = true;
      if (draining && state.active === 0) socket.end();
    });
    const peer = socket.remoteAddress ?? "";
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    req.headers["x-forwarded-for"] = (config.TRUST_PROXY_HOPS > 0 ? [...forwarded, peer] : [peer]).join(", ");
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    connections.set(socket, { active: 0, served: false });
    socket.on("close", () => connections.delete(socket));
  });
  server.listen(config.PORT, () => say(`listening on port ${config.PORT}`));
  // Periodic jobs, each run by one instance at a time (lib/maintenance/run-exclusively.ts).
  const maintenance = startMaintenance();

  const drain = async (signal: string) => {
    if (draining) return;
    draining = true;
    startDraining();
    say(`${signal}: draining (${[...connections.values()].reduce((n, c) => n + c.active, 0)} requests in flight)`);
    // Not ready any more, still accepting (each answer closes its connection) until the
    // load balancer has noticed; then the listener closes.
    if (config.WARDEN_DRAIN_DELAY_SECONDS > 0) await new Promise((done) => setTimeout(done, config.WARDEN_DRAIN_DELAY_SECONDS * 1000));
    // Stop listening only: http.Server#close would also destroy every connection it
    // counts as idle, including one just accepted whose request is still on its way
    // (its client would see a reset). Those get their answer, then "Connection: close".
    const closed = new Promise<void>((done) => net.Server.prototype.close.call(server, () => done()));
    // A keep-alive connection between requests: nothing in flight, close it now. One
    // accepted but not yet read (its request may be on its way; the event loop is busy)
    // stays: its request is answered with "Connection: close", or the deadline ends it.
    for (const [socket, state] of connections) if (state.active === 0 && state.served) socket.end();
    const deadline = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), DRAIN_MS).unref());
    const finished = await Promise.race([closed.then(() => "drained" as const), deadline]);
    if (finished === "timeout") {
      say(`drain: ${connections.size} connections still open after ${DRAIN_MS / 1000} s; closing them`);
      for (const socket of connections.keys()) socket.destroy();
    }
    await Promise.race([maintenance.stop(), new Promise((done) => setTimeout(done, 2_000).unref())]);
    const failed = await closeConnections();
    if (failed.length) say(`closing ${failed.join(", ")} failed`);
    say("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void drain("SIGTERM"));
  process.on("SIGINT", () => void drain("SIGINT"));
}

main().catch((error) => {
  console.error(`[warden] the server failed to start: ${(error as Error).message}`);
  process.exit(1);
});
