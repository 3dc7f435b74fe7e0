import { cache } from "react";
import { withUser } from "../db/system";
import { toMembership, type Membership, type MembershipRow } from "./membership";

export type SecurityNoticeRow = { id: string; kind: string; detail: string | null; createdAt: Date };

export type ConsoleContext = {
  /** Every membership of the person, by workspace name; the one in the URL is resolved from these. */
  memberships: Membership[];
  isOperator: boolean;
  /** Undismissed security notices, newest first, five at most. */
  notices: SecurityNoticeRow[];
};

type Row = {
  memberships: MembershipRow[];
  is_operator: boolean | null;
  notices: { id: string; kind: string; detail: string | null; created_at: string }[];
};

/**
 * What a signed-in page needs about its visitor besides the session, read once per
 * request in one statement: the layout's switcher and notices, and the membership
 * the page authorizes with, no longer each in a transaction of its own. The user's
 * memberships are visible through app.user_id (policy memberships_own_rows_read).
 */
export const getConsoleContext = cache(async (userId: string): Promise<ConsoleContext> => {
  const [row] = await withUser(
    userId,
    (tx) =>
      tx.$queryRaw<Row[]>`
      SELECT
        (SELECT coalesce(json_agg(json_build_object('role', m.role, 'id', w.id, 'slug', w.slug, 'name', w.name, 'mfa_policy', w.mfa_policy,
                                                    'step_up_required', w.step_up_required, 'step_up_window_minutes', w.step_up_window_minutes)
                                  ORDER BY w.name), '[]'::json)
           FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
          WHERE m.user_id = ${userId}::uuid) AS memberships,
        (SELECT is_operator FROM users WHERE id = ${userId}::uuid) AS is_operator,
        (SELECT coalesce(json_agg(json_build_object('id', n.id, 'kind', n.kind, 'detail', n.detail, 'created_at', n.created_at) ORDER BY n.created_at DESC), '[]'::json)
           FROM (SELECT id, kind, detail, created_at FROM security_notices
                  WHERE user_id = ${userId}::uuid AND seen_at IS NULL ORDER BY created_at DESC LIMIT 5) n) AS notices`,
  );
  return {
    memberships: row.memberships.map(toMembership),
    isOperator: row.is_operator === true,
    notices: row.notices.map((n) => ({ id: n.id, kind: n.kind, detail: n.detail, createdAt: new Date(n.created_at) })),
  };
});
