import "server-only";
import type { AuditActor } from "../audit/record-audit-event";
import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { formatMoney, parseMoney, tokenCost } from "./money";
import { expireHolds } from "./expire-holds";
import { recordBudgetAlerts } from "./record-budget-alerts";
import type { CaptureHoldBody, Settlement } from "./schemas";
import { holdNotFound } from "./spend-errors";

export type SettleHoldOptions = {
  workspaceId: string;
  holdId: string;
  /** The agent the key is bound to (read with the key, in this transaction), or null: it acts for any. */
  boundAgentId: string | null;
  /** capture: the actual usage; void: null (release the hold). */
  capture: CaptureHoldBody | null;
  actor: AuditActor;
  context: RequestContext;
};

type HoldRow = {
  id: string;
  agent_id: string;
  day: string;
  input_tokens: number | null;
  held_micros: bigint;
  state: "held" | "captured" | "voided" | "expired";
  charged_micros: bigint | null;
  overdue: boolean;
  name: string;
  daily_cap_micros: bigint;
  alert_thresholds: number[];
  input_price: bigint | null;
  output_price: bigint | null;
};

const answer = (hold: HoldRow, state: Settlement["state"], charged: bigint): Settlement => ({
  id: hold.id,
  state,
  held: formatMoney(hold.held_micros),
  charged: formatMoney(charged),
  day: hold.day,
});

/**
 * Captures (charges the actual cost) or voids (releases) a hold, on the day it was
 * taken, whenever the settlement comes. The hold's state moves from 'held' in one
 * conditional UPDATE that also moves the amounts on the day row, so a repeated or
 * racing capture, void or expiry settles it exactly once; a repeat answers the
 * settlement that stands. Captured above the hold, the actual cost is charged:
 * the provider billed it, and the day's total shows it.
 */
export async function settleHold(tx: Tx, o: SettleHoldOptions): Promise<Settlement> {
  const [hold] = await tx.$queryRaw<HoldRow[]>`
    SELECT h.id::text AS id, h.agent_id::text AS agent_id, h.day::text AS day, h.input_tokens, h.held_micros, h.state, h.charged_micros,
           h.expires_at <= now() AS overdue, a.name, a.daily_cap_micros, a.alert_thresholds,
           p.input_micros_per_mtok AS input_price, p.output_micros_per_mtok AS output_price
      FROM spend_holds h
      JOIN agents a ON a.id = h.agent_id
      LEFT JOIN LATERAL (
        SELECT input_micros_per_mtok, output_micros_per_mtok FROM model_prices
         WHERE workspace_id = h.workspace_id AND model = h.model AND effective_from <= h.day
         ORDER BY effective_from DESC LIMIT 1) p ON true
     WHERE h.id = ${o.holdId}::uuid AND h.workspace_id = ${o.workspaceId}::uuid
       AND (${o.boundAgentId}::uuid IS NULL OR h.agent_id = ${o.boundAgentId}::uuid)`;
  if (!hold) throw holdNotFound();

  const wanted = o.capture ? "captured" : "voided";
  if (hold.state === "held" && hold.overdue) {
    // Past its 10 minutes, a hold is charged at its held amount, whether or not
    // an authorization of its agent has expired it yet: expire it now.
    await expireHolds(tx, { workspaceId: o.workspaceId, agentId: hold.agent_id });
    return reread(tx, o, hold, wanted);
  }
  if (hold.state !== "held") return settled(hold, wanted);

  const charged = o.capture ? actualCost(hold, o.capture) : 0n;
  const [day] = await tx.$queryRaw<{ spent: bigint; held: bigint; alerted: number[] }[]>`
    WITH h AS (
      UPDATE spend_holds SET state = ${wanted}, charged_micros = ${charged}::bigint, settled_at = now()
       WHERE id = ${hold.id}::uuid AND workspace_id = ${o.workspaceId}::uuid AND state = 'held' AND expires_at > now()
      RETURNING agent_id, day, held_micros)
    UPDATE agent_days d SET held_micros = d.held_micros - h.held_micros, spent_micros = d.spent_micros + ${charged}::bigint
      FROM h
     WHERE d.agent_id = h.agent_id AND d.day = h.day
    RETURNING d.spent_micros AS spent, d.held_micros AS held, d.alerted_thresholds AS alerted`;
  // Settled meanwhile by a racing capture, void or expiry: answer what stands.
  if (!day) return reread(tx, o, hold, wanted);
  if (charged > 0n) {
    await recordBudgetAlerts(tx, {
      workspaceId: o.workspaceId,
      agent: { id: hold.agent_id, name: hold.name, capMicros: hold.daily_cap_micros, thresholds: hold.alert_thresholds },
      day: hold.day,
      totals: day,
      actor: o.actor,
      context: o.context,
    });
  }
  return answer(hold, wanted, charged);
}

async function reread(tx: Tx, o: SettleHoldOptions, hold: HoldRow, wanted: "captured" | "voided"): Promise<Settlement> {
  const [now] = await tx.$queryRaw<Pick<HoldRow, "state" | "charged_micros">[]>`
    SELECT state, charged_micros FROM spend_holds WHERE id = ${hold.id}::uuid AND workspace_id = ${o.workspaceId}::uuid`;
  return settled({ ...hold, ...now }, wanted);
}

/**
 * A repeat of the same settlement answers it unchanged, and so does any settlement
 * of an expired hold (state expired, charged at its held amount: an answer, not an
 * error, as expiring it may be this request's own work). Capturing a voided hold
 * or voiding a captured one is a 409 naming its state.
 */
function settled(hold: HoldRow, wanted: "captured" | "voided"): Settlement {
  const state = hold.state as Settlement["state"];
  if (state === wanted || state === "expired") return answer(hold, state, hold.charged_micros ?? 0n);
  const message = state === "captured" ? "This authorization was already captured: it cannot be voided." : "This authorization was voided: its hold is released and it cannot be captured.";
  throw new AppError("conflict", message, undefined, `hold_${state}`, { charged: formatMoney(hold.charged_micros ?? 0n) });
}

/**
 * The actual cost: cost as given, or tokens at the price in effect on the hold's
 * day (input defaults to the tokens authorized). A model without a price is
 * charged what the runtime reports, and never less than the hold when it reports
 * nothing: an unpriced call never settles to zero.
 */
function actualCost(hold: HoldRow, capture: CaptureHoldBody): bigint {
  const priced = hold.input_price !== null && hold.output_price !== null;
  if (capture.cost !== undefined) {
    const cost = parseMoney(capture.cost);
    return !priced && cost === 0n ? hold.held_micros : cost;
  }
  if (!priced) return hold.held_micros;
  return tokenCost(BigInt(capture.input_tokens ?? hold.input_tokens ?? 0), hold.input_price!, BigInt(capture.output_tokens!), hold.output_price!);
}
