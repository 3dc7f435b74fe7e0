import pino from "pino";
import { getConfig } from "./config";
import { logRedactionKinds, redactLogValue } from "./redaction/log-redaction";

// Structured logs to stdout. Redaction is a backstop; callers never log credentials.
export const log = pino({
  level: getConfig().LOG_LEVEL,
  base: { app: "warden" },
  redact: {
    paths: ["password", "token", "secret", "*.password", "*.token", "*.secret", "req.headers.cookie", "req.headers.authorization"],
    censor: "[redacted]",
  },
  hooks: {
    // Paths cannot find an e-mail inside a message: within an API request, every
    // line's strings (fields, message, an error's message and stack) are redacted
    // under the workspace's and the key's PII policy (lib/redaction/log-redaction.ts).
    logMethod(args, method) {
      const kinds = logRedactionKinds();
      if (kinds.length === 0) return method.apply(this, args);
      return method.apply(this, args.map((arg) => redactLogValue(arg, kinds)) as typeof args);
    },
  },
});
