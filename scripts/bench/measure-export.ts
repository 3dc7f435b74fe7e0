// One export measurement in a fresh process, so its peak RSS is the export's own
// and not what the benchmark built up before it. Started by bench-audit.ts with
// APP_DATABASE_URL set; prints one JSON line.
import { performance } from "node:perf_hooks";

async function main() {
  const [format, workspaceIds, nowIso] = [process.argv[2] as "csv" | "jsonl", process.argv[3].split(","), process.argv[4]];
  const { streamAuditExport } = await import("../../lib/audit/stream-audit-export");
  const { auditFilterSchema } = await import("../../lib/audit/schemas");
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    while (!(await reader.read()).done);
  };
  // Warm up first, as a running server is: the database client and its query
  // compiler load on first use, and that is not the export's cost.
  await drain(await streamAuditExport({ workspaceId: workspaceIds[0], filters: auditFilterSchema.parse({ range: "1h" }), format, now: new Date(nowIso) }));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const sampler = setInterval(sample, 50);
  let bytes = 0;
  let lines = 0;
  const started = performance.now();
  for (const workspaceId of workspaceIds) {
    const stream = await streamAuditExport({ workspaceId, filters: auditFilterSchema.parse({}), format, now: new Date(nowIso) });
    const reader = stream.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      bytes += chunk.value.byteLength;
      const buffer = Buffer.from(chunk.value.buffer, chunk.value.byteOffset, chunk.value.byteLength);
      for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
      sample();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  console.log(JSON.stringify({ bytes, lines, seconds, baselineRss: baseline, peakRss: peak }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
