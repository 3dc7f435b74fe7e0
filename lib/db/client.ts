import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { getConfig } from "../config";
import { onShutdown } from "../server/lifecycle";
import { log } from "../log";

// Imported only by with-workspace.ts and system.ts (tests/integration/db-access.test.ts
// enforces it): every query runs through one of those two doors.

const globalForPrisma = globalThis as unknown as { wardenPrisma?: PrismaClient; wardenCopyPool?: pg.Pool };

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.wardenPrisma) {
    const url = getConfig().APP_DATABASE_URL;
    if (!url) throw new Error("APP_DATABASE_URL is not set; start Warden with `npm start`");
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: getConfig().DATABASE_POOL_SIZE }) });
    globalForPrisma.wardenPrisma = prisma;
    // Closed by a draining server once its last request has finished (scripts/server.ts).
    onShutdown("database", async () => {
      await prisma.$disconnect();
      if (globalForPrisma.wardenPrisma === prisma) globalForPrisma.wardenPrisma = undefined;
    });
  }
  return globalForPrisma.wardenPrisma;
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * The app role's connections for COPY … TO STDOUT (the audit export), which the
 * Prisma adapter cannot run: a few, apart from Prisma's, since each is held for
 * as long as its download takes. A download that finds them all busy waits as
 * long as a transaction would (maxWait), then fails before its first byte.
 */
export function getCopyPool(): pg.Pool {
  if (!globalForPrisma.wardenCopyPool) {
    const url = getConfig().APP_DATABASE_URL;
    if (!url) throw new Error("APP_DATABASE_URL is not set; start Warden with `npm start`");
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    // An idle connection that dies (the server restarted) is dropped by the pool and
    // replaced on the next export; unheard, its error would end the process.
    pool.on("error", (error) => log.warn({ err: error }, "idle COPY connection closed"));
    globalForPrisma.wardenCopyPool = pool;
    onShutdown("database (COPY)", async () => {
      await pool.end();
      if (globalForPrisma.wardenCopyPool === pool) globalForPrisma.wardenCopyPool = undefined;
    });
  }
  return globalForPrisma.wardenCopyPool;
}
