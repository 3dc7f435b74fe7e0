import "server-only";
import { createHash } from "node:crypto";
import type { AuditActor } from "../audit/record-audit-event";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { expireHolds, HOLD_TTL_MINUTES } from "./expire-holds";
import { formatMoney, parseMoney, tokenCost } from "./money";
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
};

type AgentToday = {
  name: string;
  state: string;
  daily_cap_micros: bigint;
  unpriced_policy: string;
  alert_thresholds: number[];
  day: string;
  resets_at: Date;
  /** spent + held on the day row as this statement saw it (null: no row yet). */
  used: bigint | null;
  input_price: bigint | null;
  output_price: bigint | null;
};

/** SHA-256 of the request as parsed (amounts normalized to micros): a replay must say the same thing, not the same bytes. */
export function spendRequestHash(input: AuthorizeSpendBody): string {
  const estimate = input.estimated_cost === undefined ? null : parseMoney(input.estimated_cost).toString();
  return createHash("sha256").update(JSON.stringify([input.model, input.input_tokens ?? null, input.max_output_tokens ?? null, estimate])).digest("hex");
}

/**
 * Holds a call's worst-case cost against the agent's cap for its day (today in
 * the agent's zone). The guard is one statement: the hold row is inserted and
 * the day row's held amount raised only if spent + held + estimate <= cap (and
 * the agent is active), so parallel requests can never overshoot. Any refusal
 * throws, rolling the inserted hold back with it.
 */
export async function authorizeSpend(tx: Tx, o: AuthorizeSpendOptions): Promise<Authorization> {
  const at = o.at?.toISOString() ?? null;
  const requestHash = spendRequestHash(o.input);
  // A key bound to another agent finds no agent here: the same 404 as a missing one.
  if (o.boundAgentId !== null && o.boundAgentId !== o.agentId) throw agentNotFound();
  await expireHolds(tx, { workspaceId: o.workspaceId, agentId: o.agentId });

  // The agent, its day in its own zone and the
  // next local midnight (DST-correct: PostgreSQL's zone rules decide), the price
  // in effect that day; and the day row, created if this is the day's first request.
  const [agent] = await tx.$queryRaw<AgentToday[]>`
    WITH a AS (
      SELECT a.id, a.workspace_id, a.name, a.state, a.daily_cap_micros, a.unpriced_policy, a.alert_thresholds, a.time_zone,
             (COALESCE(${at}::timestamptz, now()) AT TIME ZONE a.time_zone)::date AS day
        FROM agents a
       WHERE a.id = ${o.agentId}::uuid AND a.workspace_id = ${o.workspaceId}::uuid),
    day_row AS (
      INSERT INTO agent_days (workspace_id, agent_id, day)
      SELECT workspace_id, id, day FROM a WHERE state = 'active'
      ON CONFLICT (agent_id, day) DO NOTHING)
    SELECT a.name, a.state, a.daily_cap_micros, a.unpriced_policy, a.alert_thresholds, a.day::text AS day,
           ((a.day + 1)::timestamp AT TIME ZONE a.time_zone) AS resets_at,
           (SELECT d.spent_micros + d.held_micros FROM agent_days d WHERE d.agent_id = a.id AND d.day = a.day) AS used,
           p.input_micros_per_mtok AS input_price, p.output_micros_per_mtok AS output_price
      FROM a
      LEFT JOIN LATERAL (
        SELECT input_micros_per_mtok, output_micros_per_mtok FROM model_prices
         WHERE workspace_id = a.workspace_id AND model = ${o.input.model} AND effective_from <= a.day
         ORDER BY effective_from DESC LIMIT 1) p ON true`;
  if (!agent) throw agentNotFound();

  // A retry of a request that was admitted answers the admission, whatever has changed since.
  const refuse = async (error: Error): Promise<Authorization> => {
    const replay = await replayAuthorization(tx, o, requestHash);
    if (replay) return replay;
    throw error;
  };
  if (agent.state !== "active") return refuse(agentNotActive(agent.state));
  const estimate = worstCase(agent, o.input);
  if (estimate === null) return refuse(unpricedModel(agent.unpriced_policy));
  // A call that did not fit a moment ago is refused without queueing for the day
  // row's lock: a halted agent's retries then cost no admitted call any time. Only
  // the guarded UPDATE below ever admits.
  if (agent.used !== null && agent.used + estimate > agent.daily_cap_micros) {
    return refuse(refusal(agent, o.input, maxZero(agent.daily_cap_micros - agent.used)));
  }

  // The guard: one INSERT of the hold (none if the key was used before) and one
  // conditional UPDATE of the day row; both or neither stand.
  const [taken] = await tx.$queryRaw<{ id: string | null; inserted: boolean; spent: bigint | null; held: bigint | null; alerted: number[] | null; used_before: bigint | null }[]>`
    WITH h AS (
      INSERT INTO spend_holds (workspace_id, agent_id, day, api_key_id, idempotency_key, request_hash, model, input_tokens, max_output_tokens, held_micros, expires_at)
      VALUES (${o.workspaceId}::uuid, ${o.agentId}::uuid, ${agent.day}::date, ${o.keyId}::uuid, ${o.idempotencyKey}, ${requestHash}, ${o.input.model},
              ${o.input.input_tokens ?? null}::int, ${o.input.max_output_tokens ?? null}::int, ${estimate}::bigint,
              now() + make_interval(mins => ${HOLD_TTL_MINUTES}::int))
      ON CONFLICT (agent_id, idempotency_key) DO NOTHING
      RETURNING id, held_micros),
    u AS (
      UPDATE agent_days d SET held_micros = d.held_micros + h.held_micros
        FROM h, agents a
       WHERE d.agent_id = ${o.agentId}::uuid AND d.day = ${agent.day}::date AND a.id = d.agent_id AND a.state = 'active'
         AND d.spent_micros + d.held_micros + h.held_micros <= a.daily_cap_micros
      RETURNING d.spent_micros, d.held_micros, d.alerted_thresholds)
    SELECT (SELECT id::text FROM h) AS id, EXISTS (SELECT 1 FROM h) AS inserted,
           u.spent_micros AS spent, u.held_micros AS held, u.alerted_thresholds AS alerted,
           (SELECT d.spent_micros + d.held_micros FROM agent_days d WHERE d.agent_id = ${o.agentId}::uuid AND d.day = ${agent.day}::date) AS used_before
      FROM (SELECT 1) one LEFT JOIN u ON true`;

  if (!taken.inserted) {
    const replay = await replayAuthorization(tx, o, requestHash);
    if (!replay) throw new Error("idempotency conflict without a hold");
    return replay;
  }
  if (taken.spent === null || taken.held === null) {
    let remaining = maxZero(agent.daily_cap_micros - (taken.used_before ?? 0n));
    // The statement's snapshot predates the holds that refused this one (the UPDATE
    // waited for them): read what they left, so the refusal tells the truth.
    if (remaining >= estimate) remaining = await remainingNow(tx, o.agentId, agent.day, agent.daily_cap_micros);
    throw refusal(agent, o.input, remaining);
  }

  await recordBudgetAlerts(tx, {
    workspaceId: o.workspaceId,
    agent: { id: o.agentId, name: agent.name, capMicros: agent.daily_cap_micros, thresholds: agent.alert_thresholds },
    day: agent.day,
    totals: { spent: taken.spent, held: taken.held, alerted: taken.alerted ?? [] },
    actor: o.actor,
    context: o.context,
  });
  return {
    id: taken.id!,
    held: formatMoney(estimate),
    remaining: formatMoney(maxZero(agent.daily_cap_micros - taken.spent - taken.held)),
    resets_at: agent.resets_at.toISOString(),
  };
}

/**
 * The call's worst case: tokens at the price in effect on the agent's day, per
 * million and rounded up, or the estimated_cost given. null: unpriced and
 * refused (the agent denies unpriced models, or no estimate above zero was given,
 * as an unpriced call is never held, nor settled, at zero).
 */
function worstCase(agent: AgentToday, input: AuthorizeSpendBody): bigint | null {
  const priced = agent.input_price !== null && agent.output_price !== null;
  if (input.estimated_cost !== undefined) {
    const estimate = parseMoney(input.estimated_cost);
    return priced || (agent.unpriced_policy === "allow" && estimate > 0n) ? estimate : null;
  }
  if (!priced) return null;
  return tokenCost(BigInt(input.input_tokens!), agent.input_price!, BigInt(input.max_output_tokens!), agent.output_price!);
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

/** The answer already given for this key: the same hold (201 again), or a 409 if the body differs. */
async function replayAuthorization(tx: Tx, o: AuthorizeSpendOptions, requestHash: string): Promise<Authorization | null> {
  const [row] = await tx.$queryRaw<{ id: string; request_hash: string; held_micros: bigint; remaining: bigint; resets_at: Date }[]>`
    SELECT h.id::text AS id, h.request_hash, h.held_micros,
           GREATEST(a.daily_cap_micros - d.spent_micros - d.held_micros, 0) AS remaining,
           ((h.day + 1)::timestamp AT TIME ZONE a.time_zone) AS resets_at
      FROM spend_holds h
      JOIN agents a ON a.id = h.agent_id
      JOIN agent_days d ON d.agent_id = h.agent_id AND d.day = h.day
     WHERE h.workspace_id = ${o.workspaceId}::uuid AND h.agent_id = ${o.agentId}::uuid AND h.idempotency_key = ${o.idempotencyKey}`;
  if (!row) return null;
  if (row.request_hash !== requestHash) throw idempotencyKeyReused();
  return { id: row.id, held: formatMoney(row.held_micros), remaining: formatMoney(BigInt(row.remaining)), resets_at: row.resets_at.toISOString() };
}
