import type { Prisma } from "../generated/prisma/client";
import { AUDIT_RANGES, type AuditFilters } from "./schemas";

/** The filters as a query condition. Relative ranges end at `now`, in UTC like every stored time. */
export function auditWhere(workspaceId: string, filters: AuditFilters, now = new Date()): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { workspaceId };
  if (filters.actor) {
    const [type, id] = filters.actor.split(":");
    where.actorType = type;
    where.actorId = id.toLowerCase();
  }
  if (filters.action?.length) where.action = { in: filters.action };
  if (filters.target_type) where.targetType = filters.target_type;
  if (filters.target_id) where.targetId = filters.target_id;
  const from = filters.range ? new Date(now.getTime() - AUDIT_RANGES[filters.range]) : filters.from ? new Date(filters.from) : undefined;
  const to = filters.to ? new Date(filters.to) : undefined;
  if (from || to) where.occurredAt = { ...(from && { gte: from }), ...(to && { lt: to }) };
  return where;
}
