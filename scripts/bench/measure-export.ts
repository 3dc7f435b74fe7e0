// One export measurement in a fresh process, so its peak RSS is the export's own
// and not what the benchmark built up before it. Started by bench-audit.ts and
// bench-export.ts with APP_DATABASE_URL set; prints one JSON line.
//
// `floor` is PostgreSQL's own COPY (SELECT …) TO STDOUT of the same rows (every
// column, PostgreSQL's CSV) as the same role under the same tenant setting,
// through the same driver: what the export is measured against.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";

type What = "csv" | "jsonl" | "floor";

async function main() {
  const [what, workspaceIds, nowIso] = [process.argv[2] as What, process.argv[3].split(","), process.argv[4]];
  const { streamAuditExport } = await import("../../lib/audit/stream-audit-export");
  const { auditFilterSchema } = await import("../../lib/audit/schemas");
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    while (!(await reader.read()).done);
  };
  const floorClient = what === "floor" ? new pg.Client({ connectionString: process.env.APP_DATABASE_URL }) : null;
  await floorClient?.connect();
  // Warm up first, as a running server is: the database client and its query
  // compiler load on first use, and that is not the export's cost.
  if (what !== "floor") await drain(await streamAuditExport({ workspaceId: workspaceIds[0], filters: auditFilterSchema.parse({ range: "1h" }), format: what, now: new Date(nowIso) }));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const sampler = setInterval(sample, 50);
  let bytes = 0;
  let lines = 0;
  let rows = 0;
  const count = (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
    sample();
  };
  const started = performance.now();
  for (const workspaceId of workspaceIds) {
    if (floorClient) {
      await floorClient.query("BEGIN");
      await floorClient.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      const copy = floorClient.query(copyTo(`COPY (SELECT * FROM audit_events WHERE workspace_id = ${floorClient.escapeLiteral(workspaceId)} ORDER BY seq DESC) TO STDOUT (FORMAT csv)`));
      for await (const chunk of copy) count(chunk as Buffer);
      rows += copy.rowCount;
      await floorClient.query("COMMIT");
      continue;
    }
    const stream = await streamAuditExport({ workspaceId, filters: auditFilterSchema.parse({}), format: what as "csv" | "jsonl", now: new Date(nowIso) });
    const reader = stream.getReader();
    const before = lines;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) count(chunk.value);
    rows += lines - before - (what === "csv" ? 1 : 0); // one header line per CSV file
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await floorClient?.end();
  console.log(JSON.stringify({ rows, bytes, lines, seconds, baselineRss: baseline, peakRss: peak }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
