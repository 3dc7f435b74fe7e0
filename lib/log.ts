import pino from "pino";
import { getConfig } from "./config";

// Structured logs to stdout. Redaction is a backstop; callers never log credentials.
export const log = pino({
  level: getConfig().LOG_LEVEL,
  base: { app: "warden" },
  redact: {
    paths: ["password", "token", "secret", "*.password", "*.token", "*.secret", "req.headers.cookie", "req.headers.authorization"],
    censor: "[redacted]",
  },
});
