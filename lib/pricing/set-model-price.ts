import "server-only";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { formatMoney } from "../agents/money";
import { seedBundledPrices } from "./seed-bundled-prices";
import { priceFor } from "./price-for";
import type { SetModelPriceInput } from "./schemas";

const shown = (p: { inputPerMtok: bigint; outputPerMtok: bigint } | null) => (p ? { input_per_mtok: formatMoney(p.inputPerMtok), output_per_mtok: formatMoney(p.outputPerMtok) } : null);

/**
 * A model's price from a day on: a new row (or that day's row replaced), audited
 * with the price in effect on that day before and after. Edits of one model wait
 * for each other (a transaction lock on the workspace and model), so each audit's
 * "before" is what the previous edit left.
 */
export async function setModelPrice(
  tx: Tx,
  options: { workspaceId: string; input: SetModelPriceInput; actor: AuditActor & { type: "user" }; context: RequestContext; today?: string },
): Promise<{ model: string; effectiveFrom: string }> {
  const { workspaceId, input, actor, context } = options;
  const day = input.effectiveFrom ?? options.today ?? new Date().toISOString().slice(0, 10);
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`model_price:${workspaceId}:${input.model}`}, 0))::text AS locked`;
  await seedBundledPrices(tx, workspaceId);
  const before = await priceFor(tx, workspaceId, input.model, day);
  await tx.$executeRaw`
    INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from, source, created_by_id)
    VALUES (${workspaceId}::uuid, ${input.model}, ${input.inputPerMtok}, ${input.outputPerMtok}, ${day}::date, 'manual', ${actor.id}::uuid)
    ON CONFLICT (workspace_id, model, effective_from) DO UPDATE
       SET input_micros_per_mtok = EXCLUDED.input_micros_per_mtok, output_micros_per_mtok = EXCLUDED.output_micros_per_mtok,
           source = 'manual', created_by_id = EXCLUDED.created_by_id, created_at = now()`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "pricing.changed",
    context,
    target: { type: "model_price", id: input.model },
    metadata: { model: input.model, effective_from: day, before: shown(before), after: shown({ inputPerMtok: input.inputPerMtok, outputPerMtok: input.outputPerMtok }) },
  });
  return { model: input.model, effectiveFrom: day };
}
