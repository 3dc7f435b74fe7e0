import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { CopyCsvCrlf } from "./copy-csv-crlf";

const run = (chunks: Buffer[], prefix?: Buffer) => text(Readable.from(chunks).pipe(new CopyCsvCrlf(prefix)));

describe("CopyCsvCrlf", () => {
  // Rows as PostgreSQL's CSV writer ends them (LF), with line feeds, CR LF and doubled quotes inside quoted cells.
  const rows = ['1,"a ""b""",x', '2,"line one\nline ""two""\n",', '3,,"\r\n",""', '4,"{""k"": ""v\\n""}","\n"', "5,plain,é🔐"];
  const copied = Buffer.from(rows.map((r) => `${r}\n`).join(""));
  const expected = rows.map((r) => `${r}\r\n`).join("");

  it("ends each row with CR LF and leaves quoted line feeds alone, however the data is cut into chunks", async () => {
    expect(await run([copied])).toBe(expected);
    for (let size = 1; size <= 9; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < copied.length; at += size) chunks.push(copied.subarray(at, at + size));
      expect(await run(chunks), `chunks of ${size}`).toBe(expected);
    }
    for (let cut = 1; cut < copied.length; cut++) expect(await run([copied.subarray(0, cut), copied.subarray(cut)]), `cut at ${cut}`).toBe(expected);
  });

  it("puts the prefix first", async () => {
    expect(await run([Buffer.from("a,b\n")], Buffer.from("h1,h2\r\n"))).toBe("h1,h2\r\na,b\r\n");
  });

  it("refuses data that ends inside a quoted cell rather than end a cut file quietly", async () => {
    await expect(run([Buffer.from('1,"open\n')])).rejects.toThrow(/inside a quoted cell/);
  });
});
