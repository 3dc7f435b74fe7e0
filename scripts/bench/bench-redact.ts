// `npm run bench:redact`: PII redaction throughput (MB/s) on 1 MB of generated
// mixed text (prose with e-mails, SSNs, phones, card numbers and their look-alikes
// at a realistic density), all four kinds on, median of three runs, beside a floor
// measured on the same text in the same run: one pass of a trivial regex replace.
import { performance } from "node:perf_hooks";
import { PII_KINDS, redactPii } from "../../lib/redaction/redact-pii";

const TARGET_BYTES = 1 << 20;
const RUNS = 3;

const WORDS = (
  "the agent asked for the customer record and summarised the refund policy before replying with a short note about " +
  "delivery times invoices order status 2023-01-15 version 1.2.3.4 from 192.168.0.12 ticket 48213 总结 客户 مرحبا 😀"
).split(" ");
const PII = [
  "jane.doe@example.com",
  "mailto:ops+alerts@example.co.uk",
  "https://x.test/?email=a.b%40example.org",
  "123-45-6789",
  "(555) 123-4567",
  "+44 20 7946 0958",
  "555.123.4567",
  "4111 1111 1111 1111",
  "4111-1111-1111-1112",
  "5500000000000004",
  "order 1700000000000",
];

// A deterministic generator: the same text every run, so figures compare.
function mixedText(): string {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const parts: string[] = [];
  let length = 0;
  while (length < TARGET_BYTES) {
    // About one PII-like item per 25 words: a chat transcript with some contact details.
    const piece = next() % 25 === 0 ? PII[next() % PII.length] : WORDS[next() % WORDS.length];
    parts.push(piece);
    length += Buffer.byteLength(piece) + 1;
  }
  return parts.join(" ");
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function measure(work: () => unknown): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

function main() {
  const text = mixedText();
  const megabytes = Buffer.byteLength(text) / 1e6;
  // Warm-up: JIT and regex compilation.
  for (let i = 0; i < 3; i++) {
    redactPii(text, PII_KINDS);
    text.replace(/@/g, "#");
    text.match(/[\d@%+(]/g);
  }
  const redact: number[] = [];
  const floor: number[] = [];
  const scan: number[] = [];
  let counts = redactPii(text, PII_KINDS).redacted;
  for (let i = 0; i < RUNS; i++) {
    redact.push(measure(() => (counts = redactPii(text, PII_KINDS).redacted)));
    floor.push(measure(() => text.replace(/@/g, "#")));
    // Every place a pattern may start (a digit, "@", "%", "+", "("), counted in one regex pass: the cheapest scan that finds them.
    scan.push(measure(() => text.match(/[\d@%+(]/g)?.length));
  }
  const rate = megabytes / median(redact);
  const floorRate = megabytes / median(floor);
  console.log(`text: ${megabytes.toFixed(2)} MB, redacted per run: ${JSON.stringify(counts)}`);
  console.log(`redactPii (all four kinds): ${rate.toFixed(1)} MB/s (median of ${RUNS}: ${redact.map((s) => (megabytes / s).toFixed(1)).join(", ")})`);
  console.log(`floor, one pass of text.replace(/@/g): ${floorRate.toFixed(1)} MB/s (median of ${RUNS}: ${floor.map((s) => (megabytes / s).toFixed(1)).join(", ")})`);
  const scanRate = megabytes / median(scan);
  console.log(
    `floor, one pass of text.match(/[\\d@%+(]/g) (the characters a pattern starts on): ${scanRate.toFixed(1)} MB/s (median of ${RUNS}: ${scan.map((s) => (megabytes / s).toFixed(1)).join(", ")})`,
  );
  console.log(`ratios: ${(rate / floorRate).toFixed(3)} of the replace floor, ${(rate / scanRate).toFixed(2)} of the scan floor`);
  console.log(`target >= 50 MB/s: ${rate >= 50 ? "met" : "NOT met"}`);
}

main();
