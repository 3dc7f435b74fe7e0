import { inject } from "vitest";

// The app's modules read their settings through lib/config.ts; point them at the test database.
process.env.APP_DATABASE_URL = inject("appUrl");
process.env.AUTH_SECRET ??= "test-auth-secret-that-is-at-least-32-bytes-long";
process.env.WARDEN_MASTER_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.LOG_LEVEL ??= "silent";
