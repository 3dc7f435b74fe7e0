import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { getConfig } from "../config";

// Imported only by with-workspace.ts and system.ts (tests/integration/db-access.test.ts
// enforces it): every query runs through one of those two doors.

const globalForPrisma = globalThis as unknown as { wardenPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.wardenPrisma) {
    const url = getConfig().APP_DATABASE_URL;
    if (!url) throw new Error("APP_DATABASE_URL is not set; start Warden with `npm start`");
    globalForPrisma.wardenPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  }
  return globalForPrisma.wardenPrisma;
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
