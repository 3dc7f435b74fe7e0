import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { simpleParser } from "mailparser";
import type { AddressInfo } from "node:net";

export type ReceivedEmail = { to: string[]; from: string; subject: string; text: string; html: string; raw: string };

/**
 * A real SMTP server in this process, on a random port, that keeps every message
 * it accepts, raw and parsed. `refuse` answers every recipient with a 550.
 */
export async function startSmtpInbox(options: { refuse?: boolean; delayMs?: number } = {}) {
  const messages: ReceivedEmail[] = [];
  const serverOptions: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (options.refuse) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        // A message that cannot be parsed is refused to the sender rather than left unanswered.
        simpleParser(raw).then(
          (parsed) => {
            const accept = () => {
              messages.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                subject: parsed.subject ?? "",
                text: parsed.text ?? "",
                html: typeof parsed.html === "string" ? parsed.html : "",
                raw,
              });
              callback();
            };
            if (options.delayMs) setTimeout(accept, options.delayMs);
            else accept();
          },
          (error: Error) => callback(error),
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Messages to an address, waiting up to `ms` for at least `count` of them. */
    async waitFor(to: string, count = 1, ms = 5_000): Promise<ReceivedEmail[]> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = messages.filter((m) => m.to.includes(to));
        if (found.length >= count || Date.now() > deadline) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
