import { Transform, type TransformCallback } from "node:stream";

const QUOTE = 0x22;
const LF = 0x0a;
const CRLF = Buffer.from("\r\n");

/**
 * The output of `COPY … TO STDOUT (FORMAT csv)` with each row ending in CR LF, as
 * RFC 4180 and spreadsheets expect, where PostgreSQL ends rows with LF alone. A
 * line feed inside a quoted cell is the cell's own and stays as it is. PostgreSQL
 * quotes every cell that holds a quote, and doubles the quote inside it, so each
 * quote byte opens or closes quoting: counting them is enough to tell a row's end
 * from a cell's line feed, across chunk boundaries too. The scan jumps from one
 * quote or line feed to the next (Buffer.indexOf), never byte by byte in JavaScript.
 */
export class CopyCsvCrlf extends Transform {
  private quoted = false;

  constructor(prefix?: Buffer) {
    super();
    if (prefix) this.push(prefix);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const pieces: Buffer[] = [];
    let start = 0;
    let quote = chunk.indexOf(QUOTE);
    let lf = chunk.indexOf(LF);
    while (lf !== -1) {
      if (quote !== -1 && quote < lf) {
        this.quoted = !this.quoted;
        quote = chunk.indexOf(QUOTE, quote + 1);
        continue;
      }
      if (!this.quoted) {
        pieces.push(chunk.subarray(start, lf), CRLF);
        start = lf + 1;
      }
      lf = chunk.indexOf(LF, lf + 1);
    }
    // No row ends in the rest of the chunk; its quotes still carry the state into the next.
    while (quote !== -1) {
      this.quoted = !this.quoted;
      quote = chunk.indexOf(QUOTE, quote + 1);
    }
    if (start === 0) return callback(null, chunk);
    if (start < chunk.length) pieces.push(chunk.subarray(start));
    callback(null, Buffer.concat(pieces));
  }

  override _flush(callback: TransformCallback): void {
    callback(this.quoted ? new Error("COPY CSV ended inside a quoted cell") : null);
  }
}
