import "server-only";
import { createHash } from "node:crypto";
import type { AuditActor } from "../audit/record-audit-event";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { seedBundledPrices } from "../pricing/seed-bundled-prices";
import { HOLD_TTL_MINUTES } from "./expire-holds";
import { formatMoney, parseMoney } from "./money";
import { recordBudgetAlerts } from "./record-budget-alerts";
import type { AuthorizeSpendBody } from "./schemas";
import { agentNotActive, agentNotFound, budgetExhausted, idempotencyKeyReused, requestExceedsBudget, unpricedModel } from "./spend-errors";

export type Authorization = { id: string; held: string; remaining: string; resets_at: string };

export type AuthorizeSpendOptions = {
  workspaceId: string;
  agentId: string;
  keyId: string;
  /** The agent the key is bound to (read with the key, in this transaction), or null: it acts for any. */
  boundAgentId: string | null;
  idempotencyKey: string;
  input: AuthorizeSpendBody;
  actor: AuditActor;
  context: RequestContext;
  /** The instant to authorize at (tests of midnight and DST); the database's now() otherwise. */
  at?: Date;
  /** The bundled prices were just seeded: a second miss is final. */
  seeded?: boolean;
};

type AgentToday = {
  name: string;
  state: string;
  daily_cap_micros: bigint;
  unpriced_policy: string;
  alert_thresholds: number[];
  day: string;
  resets_at: Date;
  /** spent + held on the day row as this statement's snapshot saw it (null: no row yet). */
  used: bigint | null;
  input_price: bigint | null;
  output_price: bigint | null;
  /** The call's worst case (null: unpriced, refused). */
  estimate: bigint | null;
};

type Decision = AgentToday & {
  /** The hold this request inserted (null: none). */
  hold_id: string | null;
  /** The day row after the guard admitted the hold (null: not admitted). */
  spent: bigint | null;
  held: bigint | null;
  alerted: number[] | null;
  /** The request hash of an earlier request with this Idempotency-Key, as the snapshot saw it. */
  prior_hash: string | null;
};

/** SHA-256 of the request as parsed (amounts normalized to micros): a replay must say the same thing, not the same bytes. */
export function spendRequestHash(input: AuthorizeSpendBody): string {
  const estimate = input.estimated_cost === undefined ? null : parseMoney(input.estimated_cost).toString();
  return createHash("sha256")
    .update(JSON.stringify([input.model, input.input_tokens ?? null, input.max_output_tokens ?? null, estimate]))
    .digest("hex");
}

/**
 * Holds a call's worst-case cost against the agent's cap for its day (today in
 * the agent's zone), in one statement, so the day row's lock is held for the
 * shortest time the commit allows. The guard is the day row's upsert: the hold's
 * amount is added only if spent + held + estimate <= cap, checked on the row as
 * locked (ON CONFLICT … DO UPDATE … WHERE), and a new day row only if the
 * estimate alone fits; so parallel requests, the day's first ones included, never
 * overshoot. Any refusal throws, rolling the inserted hold back with it.
 *
 * Overdue holds are not expired here: expiry moves a hold from held to spent at
 * the same amount, so it never changes what fits. The maintenance sweep and
 * settlements expire them.
 */
export async function authorizeSpend(tx: Tx, o: AuthorizeSpendOptions): Promise<Authorization> {
  const requestHash = spendRequestHash(o.input);
  // A key bound to another agent finds no agent here: the same 404 as a missing one.
  if (o.boundAgentId !== null && o.boundAgentId !== o.agentId) throw agentNotFound();
  const estimated = o.input.estimated_cost === undefined ? null : parseMoney(o.input.estimated_cost);

  // a: the agent, its day in its own zone and the next local midnight (DST-correct:
  // PostgreSQL's zone rules decide). c: the price in effect that day and the worst
  // case (tokens per million, rounded up; or the estimate given, which an unpriced
  // model needs above zero and the agent's leave). h: the hold, unless the key was
  // used before, or the snapshot already shows it cannot fit (refused without
  // queueing for the day row's lock: a halted agent's retries then cost admitted
  // calls no time). g: the guard.
  const [d] = await tx.$queryRaw<Decision[]>`
    WITH a AS (
      SELECT id, workspace_id, name, state, daily_cap_micros, unpriced_policy, alert_thresholds, time_zone,
             (COALESCE(${o.at?.toISOString() ?? null}::timestamptz, now()) AT TIME ZONE time_zone)::date AS day
        FROM agents WHERE id = ${o.agentId}::uuid AND workspace_id = ${o.workspaceId}::uuid),
    c AS (
      SELECT a.*, p.input_micros_per_mtok AS input_price, p.output_micros_per_mtok AS output_price,
             (SELECT dr.spent_micros + dr.held_micros FROM agent_days dr WHERE dr.agent_id = a.id AND dr.day = a.day) AS used,
             CASE WHEN ${estimated}::bigint IS NOT NULL THEN
                    CASE WHEN p.input_micros_per_mtok IS NOT NULL OR (a.unpriced_policy = 'allow' AND ${estimated}::bigint > 0) THEN ${estimated}::bigint END
                  WHEN p.input_micros_per_mtok IS NOT NULL THEN
                    (${o.input.input_tokens ?? 0}::bigint * p.input_micros_per_mtok + ${o.input.max_output_tokens ?? 0}::bigint * p.output_micros_per_mtok + 999999) / 1000000
             END AS estimate
        FROM a
        LEFT JOIN LATERAL (
          SELECT input_micros_per_mtok, output_micros_per_mtok FROM model_prices
           WHERE workspace_id = a.workspace_id AND model = ${o.input.model} AND effective_from <= a.day
           ORDER BY effective_from DESC LIMIT 1) p ON true),
    h AS (
      INSERT INTO spend_holds (workspace_id, agent_id, day, api_key_id, idempotency_key, request_hash, model, input_tokens, max_output_tokens, held_micros, expires_at)
      SELECT c.workspace_id, c.id, c.day, ${o.keyId}::uuid, ${o.idempotencyKey}, ${requestHash}, ${o.input.model},
             ${o.input.input_tokens ?? null}::int, ${o.input.max_output_tokens ?? null}::int, c.estimate,
             now() + make_interval(mins => ${HOLD_TTL_MINUTES}::int)
        FROM c WHERE c.state = 'active' AND c.estimate IS NOT NULL AND COALESCE(c.used, 0) + c.estimate <= c.daily_cap_micros
      ON CONFLICT (agent_id, idempotency_key) DO NOTHING
      RETURNING id, day, held_micros),
    g AS (
      INSERT INTO agent_days AS dr (workspace_id, agent_id, day, held_micros)
      SELECT ${o.workspaceId}::uuid, ${o.agentId}::uuid, h.day, h.held_micros FROM h
      ON CONFLICT (agent_id, day) DO UPDATE SET held_micros = dr.held_micros + EXCLUDED.held_micros
       WHERE dr.spent_micros + dr.held_micros + EXCLUDED.held_micros <= (SELECT daily_cap_micros FROM c)
      RETURNING dr.spent_micros, dr.held_micros, dr.alerted_thresholds)
    SELECT c.name, c.state, c.daily_cap_micros, c.unpriced_policy, c.alert_thresholds, c.day::text AS day,
           ((c.day + 1)::timestamp AT TIME ZONE c.time_zone) AS resets_at, c.used, c.input_price, c.output_price, c.estimate,
           (SELECT id::text FROM h) AS hold_id, g.spent_micros AS spent, g.held_micros AS held, g.alerted_thresholds AS alerted,
           (SELECT request_hash FROM spend_holds WHERE agent_id = c.id AND idempotency_key = ${o.idempotencyKey}) AS prior_hash
      FROM c LEFT JOIN g ON true`;
  if (!d) throw agentNotFound();

  if (d.hold_id !== null) {
    if (d.spent === null || d.held === null) {
      let remaining = maxZero(d.daily_cap_micros - (d.used ?? 0n));
      // The statement's snapshot predates the holds that refused this one (the guard
      // waited for them): read what they left, so the refusal tells the truth.
      if (remaining >= d.estimate!) remaining = await remainingNow(tx, o.agentId, d.day, d.daily_cap_micros);
      throw refusal(d, o.input, remaining);
    }
    await recordBudgetAlerts(tx, {
      workspaceId: o.workspaceId,
      agent: { id: o.agentId, name: d.name, capMicros: d.daily_cap_micros, thresholds: d.alert_thresholds },
      day: d.day,
      totals: { spent: d.spent, held: d.held, alerted: d.alerted ?? [] },
      actor: o.actor,
      context: o.context,
    });
    return { id: d.hold_id, held: formatMoney(d.estimate!), remaining: formatMoney(maxZero(d.daily_cap_micros - d.spent - d.held)), resets_at: d.resets_at.toISOString() };
  }

  // No hold taken. A retry of a request that was admitted answers the admission,
  // whatever has changed since; the same key with another body is a 409.
  if (d.prior_hash !== null) {
    if (d.prior_hash !== requestHash) throw idempotencyKeyReused();
    return replayAuthorization(tx, o);
  }
  if (d.state !== "active") throw agentNotActive(d.state);
  if (d.estimate === null) {
    // A workspace whose prices nobody has looked at yet gets the bundled ones on its
    // first miss, and the request is decided again on them.
    if (!o.seeded && (await seedBundledPrices(tx, o.workspaceId)) > 0) return authorizeSpend(tx, { ...o, seeded: true });
    throw unpricedModel(d.unpriced_policy);
  }
  if ((d.used ?? 0n) + d.estimate > d.daily_cap_micros) throw refusal(d, o.input, maxZero(d.daily_cap_micros - (d.used ?? 0n)));
  // It fitted, yet no hold was inserted: a request with the same key committed after
  // this statement's snapshot was taken. Its answer is this one's.
  const [prior] = await tx.$queryRaw<{ request_hash: string }[]>`
    SELECT request_hash FROM spend_holds WHERE agent_id = ${o.agentId}::uuid AND idempotency_key = ${o.idempotencyKey}`;
  if (!prior) throw new Error("idempotency conflict without a hold");
  if (prior.request_hash !== requestHash) throw idempotencyKeyReused();
  return replayAuthorization(tx, o);
}

const maxZero = (n: bigint) => (n > 0n ? n : 0n);

async function remainingNow(tx: Tx, agentId: string, day: string, cap: bigint): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ used: bigint }[]>`
    SELECT spent_micros + held_micros AS used FROM agent_days WHERE agent_id = ${agentId}::uuid AND day = ${day}::date`;
  return maxZero(cap - (row?.used ?? 0n));
}

/**
 * Nothing left: 402 until the day resets. Something left but not this call's
 * worst case: 422 with the largest max_output_tokens that fits now, from
 * ceil((input × in + n × out) / 1e6) <= remaining  ⇔  n <= (remaining × 1e6 − input × in) / out.
 */
function refusal(agent: AgentToday, input: AuthorizeSpendBody, remaining: bigint): Error {
  if (remaining === 0n) return budgetExhausted(remaining, agent.resets_at);
  if (input.estimated_cost !== undefined || agent.input_price === null || agent.output_price === null) {
    return requestExceedsBudget(remaining, agent.resets_at, null);
  }
  const room = remaining * 1_000_000n - BigInt(input.input_tokens!) * agent.input_price;
  if (room < 0n || agent.output_price === 0n) return budgetExhausted(remaining, agent.resets_at);
  const affordable = room / agent.output_price;
  if (affordable < 1n) return budgetExhausted(remaining, agent.resets_at);
  return requestExceedsBudget(remaining, agent.resets_at, Number(affordable < 100_000_000n ? affordable : 100_000_000n));
}

/** The answer already given for this key: the same hold (201 again). */
async function replayAuthorization(tx: Tx, o: AuthorizeSpendOptions): Promise<Authorization> {
  const [row] = await tx.$queryRaw<{ id: string; held_micros: bigint; remaining: bigint; resets_at: Date }[]>`
    SELECT h.id::text AS id, h.held_micros,
           GREATEST(a.daily_cap_micros - d.spent_micros - d.held_micros, 0) AS remaining,
           ((h.day + 1)::timestamp AT TIME ZONE a.time_zone) AS resets_at
      FROM spend_holds h
      JOIN agents a ON a.id = h.agent_id
      JOIN agent_days d ON d.agent_id = h.agent_id AND d.day = h.day
     WHERE h.workspace_id = ${o.workspaceId}::uuid AND h.agent_id = ${o.agentId}::uuid AND h.idempotency_key = ${o.idempotencyKey}`;
  return { id: row.id, held: formatMoney(row.held_micros), remaining: formatMoney(BigInt(row.remaining)), resets_at: row.resets_at.toISOString() };
}
