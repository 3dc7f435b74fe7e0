import { Transform, type TransformCallback } from "node:stream";

// PGCOPY\n\377\r\n\0, then 32-bit flags and the length of a header extension.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER = SIGNATURE.length + 8;
// Each row: a 16-bit field count (1), then the field's 32-bit length; -1 as the count ends the data.
const ROW_HEAD = 6;

/**
 * The output of `COPY (SELECT <one text column>) TO STDOUT (FORMAT binary)` as the
 * column's bytes end to end, exactly as the database produced them. The text and
 * CSV formats of COPY would escape or quote what a line already holds (backslashes,
 * CR, LF, quotes); the binary format frames each value with its length instead, so
 * taking the frames off gives back the values untouched. This walks the frames of
 * each chunk and copies the values out, without a JavaScript object per row.
 */
export class CopyBinaryText extends Transform {
  private headerLeft = HEADER;
  private extensionLeft = -1; // unknown until the header has been read
  private readonly rowHead = Buffer.alloc(ROW_HEAD);
  private rowHeadHave = 0;
  private valueLeft = 0;
  private ended = false;
  private readonly headerBytes = Buffer.alloc(HEADER);

  constructor(prefix?: Buffer) {
    super();
    if (prefix) this.push(prefix);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const out = Buffer.allocUnsafe(chunk.length);
      let written = 0;
      let at = 0;
      while (at < chunk.length) {
        if (this.ended) throw new Error("COPY data after its end");
        if (this.headerLeft > 0) {
          const n = Math.min(this.headerLeft, chunk.length - at);
          chunk.copy(this.headerBytes, HEADER - this.headerLeft, at, at + n);
          this.headerLeft -= n;
          at += n;
          if (this.headerLeft === 0) {
            if (!this.headerBytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error("not a binary COPY");
            this.extensionLeft = this.headerBytes.readUInt32BE(SIGNATURE.length + 4);
          }
          continue;
        }
        if (this.extensionLeft > 0) {
          const n = Math.min(this.extensionLeft, chunk.length - at);
          this.extensionLeft -= n;
          at += n;
          continue;
        }
        if (this.valueLeft > 0) {
          const n = Math.min(this.valueLeft, chunk.length - at);
          chunk.copy(out, written, at, at + n);
          written += n;
          this.valueLeft -= n;
          at += n;
          continue;
        }
        // A row's head, read in place when the chunk holds all of it.
        let head: Buffer;
        let headAt: number;
        if (this.rowHeadHave === 0 && chunk.length - at >= ROW_HEAD) {
          head = chunk;
          headAt = at;
          at += ROW_HEAD;
        } else if (this.rowHeadHave === 0 && chunk.length - at >= 2 && chunk.readInt16BE(at) === -1) {
          head = chunk;
          headAt = at;
          at += 2;
        } else {
          const n = Math.min(ROW_HEAD - this.rowHeadHave, chunk.length - at);
          chunk.copy(this.rowHead, this.rowHeadHave, at, at + n);
          this.rowHeadHave += n;
          at += n;
          if (this.rowHeadHave >= 2 && this.rowHead.readInt16BE(0) === -1) {
            // The trailer is two bytes: give back what was taken past it.
            at -= this.rowHeadHave - 2;
            this.rowHeadHave = 0;
            this.ended = true;
            continue;
          }
          if (this.rowHeadHave < ROW_HEAD) continue;
          this.rowHeadHave = 0;
          head = this.rowHead;
          headAt = 0;
        }
        const fields = head.readInt16BE(headAt);
        if (fields === -1) {
          this.ended = true;
          continue;
        }
        const length = head.readInt32BE(headAt + 2);
        if (fields !== 1 || length < 0) throw new Error("a COPY row is not one non-null value");
        this.valueLeft = length;
      }
      callback(null, written > 0 ? out.subarray(0, written) : undefined);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // Without its trailer the data was cut short: say so rather than end a partial file quietly.
    callback(this.ended ? null : new Error("COPY data ended before its trailer"));
  }
}
