import type { Prisma } from "../generated/prisma/client";

// The columns auditWhere may filter on, with the type each value is read back as.
const COLUMNS: Record<string, [column: string, type: string]> = {
  workspaceId: ["workspace_id", "uuid"],
  actorType: ["actor_type", "text"],
  actorId: ["actor_id", "uuid"],
  action: ["action", "text"],
  targetType: ["target_type", "text"],
  targetId: ["target_id", "text"],
  occurredAt: ["occurred_at", "timestamptz"],
};
const OPERATORS: Record<string, string> = { gte: ">=", gt: ">", lt: "<", lte: "<=" };

/**
 * auditWhere's condition (the one definition of the filters) as SQL over the
 * alias `e`, for a statement that takes no bind parameters (COPY): value n is
 * read back from the setting warden_copy.pn, which copyFromWorkspace sets from a
 * bind parameter. A condition this does not know is refused rather than dropped,
 * so a new filter cannot silently widen an export.
 */
export function auditWhereSql(where: Prisma.AuditEventWhereInput): { condition: string; settings: string[] } {
  const settings: string[] = [];
  const value = (text: string, type: string) => {
    settings.push(text);
    return `pg_catalog.current_setting('warden_copy.p${settings.length}')::${type}`;
  };
  const scalar = (v: unknown): string => {
    if (v instanceof Date) return v.toISOString();
    if (typeof v === "string") return v;
    throw new Error(`auditWhereSql: unsupported value ${typeof v}`);
  };
  const parts: string[] = [];
  for (const [field, filter] of Object.entries(where)) {
    if (filter === undefined) continue;
    const column = COLUMNS[field];
    if (!column) throw new Error(`auditWhereSql: no SQL for the filter ${field}`);
    const [name, type] = column;
    if (typeof filter === "string" || filter instanceof Date) {
      parts.push(`e.${name} = ${value(scalar(filter), type)}`);
      continue;
    }
    for (const [op, operand] of Object.entries(filter as Record<string, unknown>)) {
      if (operand === undefined) continue;
      if (op === "in" && Array.isArray(operand)) {
        const list = value(JSON.stringify(operand.map(scalar)), "jsonb");
        parts.push(`e.${name} = ANY (ARRAY(SELECT pg_catalog.jsonb_array_elements_text(${list}))::${type}[])`);
      } else if (OPERATORS[op]) {
        parts.push(`e.${name} ${OPERATORS[op]} ${value(scalar(operand), type)}`);
      } else {
        throw new Error(`auditWhereSql: no SQL for ${field}.${op}`);
      }
    }
  }
  return { condition: parts.length ? parts.join(" AND ") : "true", settings };
}
