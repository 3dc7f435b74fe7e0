import { withSystem } from "../../db/system";
import { describeUserAgent } from "./describe-user-agent";

export type SessionRow = {
  id: string;
  browser: string;
  system: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

/** The caller's live sessions, most recently active first. */
export async function listMySessions(userId: string, currentSessionId: string): Promise<SessionRow[]> {
  const now = new Date();
  const rows = await withSystem((tx) =>
    tx.session.findMany({
      where: { userId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
      orderBy: { lastSeenAt: "desc" },
      select: { id: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
    }),
  );
  return rows.map((row) => ({
    id: row.id,
    ...describeUserAgent(row.userAgent),
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}
