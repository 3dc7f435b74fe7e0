import { defineConfig } from "prisma/config";

// The CLI reads this; the running app never does (it connects through lib/db/client.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/warden" },
});
