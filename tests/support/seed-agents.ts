import { randomUUID } from "node:crypto";
import type pg from "pg";
import { generateApiKey } from "../../lib/api-keys/api-key-token";

/** An agent written as the owner (the agents' own domain functions are tested on their own). */
export async function seedAgent(owner: pg.Client, workspaceId: string, options: { timeZone?: string; name?: string } = {}) {
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone) VALUES ($1, $2, 10000000, $3) RETURNING id::text`, [
    workspaceId,
    options.name ?? `agent-${randomUUID().slice(0, 8)}`,
    options.timeZone ?? "UTC",
  ]);
  return rows[0].id;
}

/** A runtime key with the given scopes, optionally bound to one agent. */
export async function seedRuntimeKey(owner: pg.Client, workspaceId: string, createdById: string, scopes: string[], agentId: string | null = null) {
  const { key, prefix, hash } = generateApiKey();
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id, agent_id)
     VALUES ($1, 'agent runtime', $2, $3, $4, $5, $6) RETURNING id::text`,
    [workspaceId, prefix, hash, scopes, createdById, agentId],
  );
  return { key, id: rows[0].id };
}

export const jsonRequest = (url: string, key: string, body: unknown, init: { raw?: BodyInit; method?: string } = {}) =>
  new Request(url, {
    method: init.method ?? "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "x-warden-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      "x-request-id": `req-${randomUUID()}`,
    },
    body: init.raw ?? JSON.stringify(body),
  });
