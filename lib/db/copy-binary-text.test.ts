import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { CopyBinaryText } from "./copy-binary-text";

// What PostgreSQL sends for COPY (SELECT <text>) TO STDOUT (FORMAT binary).
const frame = (values: string[], extension = Buffer.alloc(0)) => {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.from([0, 0, 0, 0]), Buffer.alloc(4), extension]);
  header.writeUInt32BE(extension.length, 15);
  const rows = values.map((v) => {
    const bytes = Buffer.from(v);
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    head.writeInt32BE(bytes.length, 2);
    return Buffer.concat([head, bytes]);
  });
  return Buffer.concat([header, ...rows, Buffer.from([0xff, 0xff])]);
};

const run = (chunks: Buffer[], prefix?: Buffer) => text(Readable.from(chunks).pipe(new CopyBinaryText(prefix)));

describe("CopyBinaryText", () => {
  const values = ['1,"a ""b""",\r\n', '{"x":"\\\\ \\n \\" 🔐"}\n', "", "\\.", "\t\r\n\u0001\u0002", "é".repeat(300)];
  const whole = frame(values);

  it("gives back the values end to end, byte for byte, however the data is cut into chunks", async () => {
    const expected = values.join("");
    expect(await run([whole])).toBe(expected);
    for (let size = 1; size <= 13; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
      expect(await run(chunks), `chunks of ${size}`).toBe(expected);
    }
    for (let cut = 1; cut < whole.length; cut++) expect(await run([whole.subarray(0, cut), whole.subarray(cut)]), `cut at ${cut}`).toBe(expected);
  });

  it("puts the prefix first and skips a header extension", async () => {
    expect(await run([frame(["a\n", "b\n"], Buffer.from("ext"))], Buffer.from("head\n"))).toBe("head\na\nb\n");
  });

  it("fails on data cut short, on anything but one non-null value per row, and on what is not a binary COPY", async () => {
    await expect(run([whole.subarray(0, whole.length - 2)])).rejects.toThrow(/ended before its trailer/);
    await expect(run([whole.subarray(0, 40)])).rejects.toThrow(/ended before its trailer/);
    const twoFields = frame(["ab"]);
    twoFields.writeInt16BE(2, 19);
    await expect(run([twoFields])).rejects.toThrow(/one non-null value/);
    const nullValue = frame(["ab"]);
    nullValue.writeInt32BE(-1, 21);
    await expect(run([nullValue.subarray(0, 25), Buffer.from([0xff, 0xff])])).rejects.toThrow(/one non-null value/);
    await expect(run([Buffer.from("seq,occurred_at,actor_type\r\n")])).rejects.toThrow(/not a binary COPY/);
  });
});
