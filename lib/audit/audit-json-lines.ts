import { Transform, type TransformCallback } from "node:stream";

/**
 * The columns a JSON Lines export reads, each as text, in the order AuditJsonLines
 * writes them. The line is the one audit_event_json builds (last defined in
 * 20261123070000_audit_export_columns), written here instead of in the database:
 * json_build_object cost the database about four times what reading the columns
 * does, on the one core its backend has, while the server's core sat idle.
 */
export const AUDIT_JSON_COLUMNS = [
  "e.id::text",
  "e.seq::text",
  "public.audit_utc(e.occurred_at)",
  "e.actor_type",
  "e.actor_id::text",
  "e.actor_label",
  "e.action",
  "e.target_type",
  "e.target_id",
  "e.ip",
  "e.user_agent",
  "e.request_id",
  "e.client_request_id",
  "e.metadata::text",
  "e.prev_hash",
  "e.hash",
  "e.key_id",
].join(", ");

const FIELDS = 17;
const [ID, SEQ, OCCURRED_AT, ACTOR_TYPE, ACTOR_ID, ACTOR_LABEL, ACTION, TARGET_TYPE, TARGET_ID, IP, USER_AGENT, REQUEST_ID, CLIENT_REQUEST_ID, METADATA, PREV_HASH, HASH, KEY_ID] = Array.from(
  { length: FIELDS },
  (_, i) => i,
);

// PGCOPY\n\377\r\n\0, then 32-bit flags and the length of a header extension.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER = SIGNATURE.length + 8;
const OUT_SIZE = 256 * 1024;
// What a line adds to its values: the keys, quotes and separators, with room to spare.
const LINE_OVERHEAD = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * `COPY (SELECT <AUDIT_JSON_COLUMNS>) TO STDOUT (FORMAT binary)` in, JSON Lines out,
 * byte for byte what audit_event_json gave: json_build_object's layout
 * (`{"key" : value, …}`), text escaped as PostgreSQL's escape_json does (which is
 * what JSON.stringify does too: \" \\ \b \f \n \r \t, other controls as \u00xx),
 * metadata as jsonb prints it. Each row is read from the frames and written straight
 * into an output buffer; a value with nothing to escape is copied in the same pass
 * that checks it, so no row becomes a JavaScript object.
 */
export class AuditJsonLines extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private ended = false;
  private readonly start = new Int32Array(FIELDS);
  private readonly length = new Int32Array(FIELDS);
  // Lines are written into `out` at `at`; what lies before `sent` has been handed on.
  private out = Buffer.allocUnsafe(OUT_SIZE);
  private at = 0;
  private sent = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      // A row cut by the chunk's end waits for the next chunk; only its bytes are carried over.
      const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      let at = 0;
      if (!this.headerDone) {
        if (data.length < HEADER) return this.keep(data, 0, callback);
        if (!data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error("not a binary COPY");
        const extension = data.readUInt32BE(SIGNATURE.length + 4);
        if (data.length < HEADER + extension) return this.keep(data, 0, callback);
        at = HEADER + extension;
        this.headerDone = true;
      }
      while (at < data.length) {
        if (this.ended) throw new Error("COPY data after its end");
        const rowEnd = this.frame(data, at);
        if (rowEnd === -1) break;
        if (rowEnd === -2) {
          this.ended = true;
          at += 2;
          continue;
        }
        this.line(data);
        at = rowEnd;
      }
      this.keep(data, at, callback);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // Without its trailer the data was cut short: say so rather than end a partial file quietly.
    if (!this.ended || this.pending.length) return callback(new Error("COPY data ended before its trailer"));
    this.handOn();
    callback();
  }

  /** Holds the unread rest, hands on the lines written so far. */
  private keep(data: Buffer, from: number, callback: TransformCallback) {
    this.pending = from < data.length ? Buffer.from(data.subarray(from)) : Buffer.alloc(0);
    this.handOn();
    callback();
  }

  private handOn() {
    if (this.at > this.sent) this.push(this.out.subarray(this.sent, this.at));
    this.sent = this.at;
  }

  /** Reads one row's frames at `at`: the offset after it, -1 when the data ends within it, -2 for the trailer. */
  private frame(data: Buffer, at: number): number {
    if (data.length - at < 2) return -1;
    const fields = data.readInt16BE(at);
    if (fields === -1) return -2;
    if (fields !== FIELDS) throw new Error(`a COPY row of ${fields} fields, expected ${FIELDS}`);
    at += 2;
    for (let i = 0; i < FIELDS; i++) {
      if (data.length - at < 4) return -1;
      const n = data.readInt32BE(at);
      at += 4;
      this.start[i] = at;
      this.length[i] = n;
      if (n > 0) {
        if (data.length - at < n) return -1;
        at += n;
      }
    }
    return at;
  }

  private line(data: Buffer) {
    let room = LINE_OVERHEAD;
    // Escaping writes at most six bytes for one (\u00xx).
    for (let i = 0; i < FIELDS; i++) if (this.length[i] > 0) room += this.length[i] * 6;
    if (this.out.length - this.at < room) {
      this.handOn();
      this.out = Buffer.allocUnsafe(Math.max(OUT_SIZE, room));
      this.at = 0;
      this.sent = 0;
    }
    this.ascii('{"id" : ');
    this.text(data, ID);
    this.ascii(', "seq" : ');
    this.text(data, SEQ);
    this.ascii(', "occurred_at" : ');
    this.text(data, OCCURRED_AT);
    this.ascii(', "actor" : {"type" : ');
    this.text(data, ACTOR_TYPE);
    this.ascii(', "id" : ');
    this.text(data, ACTOR_ID);
    this.ascii(', "label" : ');
    this.text(data, ACTOR_LABEL);
    this.ascii('}, "action" : ');
    this.text(data, ACTION);
    this.ascii(', "target" : ');
    if (this.length[TARGET_TYPE] < 0) this.ascii("null");
    else {
      this.ascii('{"type" : ');
      this.text(data, TARGET_TYPE);
      this.ascii(', "id" : ');
      this.text(data, TARGET_ID);
      this.ascii("}");
    }
    this.ascii(', "ip" : ');
    this.text(data, IP);
    this.ascii(', "user_agent" : ');
    this.text(data, USER_AGENT);
    this.ascii(', "request_id" : ');
    this.text(data, REQUEST_ID);
    this.ascii(', "client_request_id" : ');
    this.text(data, CLIENT_REQUEST_ID);
    this.ascii(', "metadata" : ');
    this.raw(data, METADATA);
    this.ascii(', "prev_hash" : ');
    this.text(data, PREV_HASH);
    this.ascii(', "hash" : ');
    this.text(data, HASH);
    this.ascii(', "key_id" : ');
    this.text(data, KEY_ID);
    this.ascii("}\n");
  }

  private ascii(text: string) {
    const out = this.out;
    let w = this.at;
    for (let i = 0; i < text.length; i++) out[w++] = text.charCodeAt(i);
    this.at = w;
  }

  /** A value as written as it is (jsonb's own text), or null. */
  private raw(data: Buffer, field: number) {
    const n = this.length[field];
    if (n < 0) return this.ascii("null");
    this.at += data.copy(this.out, this.at, this.start[field], this.start[field] + n);
  }

  /** A text value as a JSON string, or null. */
  private text(data: Buffer, field: number) {
    const n = this.length[field];
    if (n < 0) return this.ascii("null");
    const out = this.out;
    const from = this.start[field];
    const end = from + n;
    let w = this.at;
    out[w++] = QUOTE;
    for (let k = from; k < end; k++) {
      const c = data[k];
      if (c < 0x20 || c === QUOTE || c === BACKSLASH) {
        // Something to escape: the whole value goes through JSON.stringify, which escapes as PostgreSQL does.
        this.at += out.write(JSON.stringify(data.toString("utf8", from, end)), this.at);
        return;
      }
      out[w++] = c;
    }
    out[w++] = QUOTE;
    this.at = w;
  }
}
