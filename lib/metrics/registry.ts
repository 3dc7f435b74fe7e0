import "server-only";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getConfig } from "../config";

// Prometheus metrics of this process. Next may load a module more than once (one
// copy per route bundle, again after a hot reload): the registry and its metrics
// live on globalThis so every copy counts into the same series, and prom-client
// never sees a metric registered twice. By default no label carries a workspace:
// cardinality would grow with every tenant. WARDEN_METRICS_WORKSPACE_LABELS adds a
// workspace label to the usage and spend counters; a metric's label names are fixed
// when it is registered, so they are chosen here from the setting.

type Metrics = {
  registry: Registry;
  /** Whether the usage and spend counters carry the workspace label (see workspaceLabel). */
  workspaceLabels: boolean;
  sessionsStarted: Counter<"workspace">;
  turns: Counter<"workspace">;
  llmTokens: Counter<"direction" | "workspace">;
  toolInvocations: Counter<"workspace">;
  spendAuthorizations: Counter<"outcome" | "workspace">;
  httpDuration: Histogram<"route" | "method" | "status">;
};

const GLOBAL_KEY = Symbol.for("warden.metrics");

function create(workspaceLabels: boolean): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const workspace = workspaceLabels ? (["workspace"] as const) : [];
  return {
    registry,
    workspaceLabels,
    sessionsStarted: new Counter({ name: "sessions_started_total", help: "Conversations started, as reported by the runtime.", labelNames: [...workspace], registers }),
    turns: new Counter({ name: "turns_total", help: "Conversation turns completed, as reported by the runtime.", labelNames: [...workspace], registers }),
    llmTokens: new Counter({ name: "llm_tokens_total", help: "LLM tokens reported by the runtime, by direction (input, output).", labelNames: ["direction", ...workspace], registers }),
    toolInvocations: new Counter({ name: "tool_invocations_total", help: "Tool invocations reported by the runtime.", labelNames: [...workspace], registers }),
    spendAuthorizations: new Counter({ name: "warden_spend_authorizations_total", help: "Spend authorizations answered, by outcome.", labelNames: ["outcome", ...workspace], registers }),
    httpDuration: new Histogram({
      name: "warden_http_request_duration_seconds",
      help: "Duration of /api/v1 requests, by route, method and status.",
      labelNames: ["route", "method", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

export function metrics(): Metrics {
  const holder = globalThis as unknown as Record<symbol, Metrics | undefined>;
  const workspaceLabels = getConfig().WARDEN_METRICS_WORKSPACE_LABELS;
  // The setting is fixed for a server's life; only a test that switches it meets
  // a registry built for the other value, and starts a fresh one.
  const current = holder[GLOBAL_KEY];
  if (current?.workspaceLabels === workspaceLabels) return current;
  return (holder[GLOBAL_KEY] = create(workspaceLabels));
}

/**
 * The workspace label of a usage or spend counter: the workspace's id, never its
 * name or slug (names are user data, which a scrape should not carry, and they
 * change, which would split one workspace's series in two). No label when the
 * setting is off; an empty one when the workspace is unknown, e.g. a spend request
 * refused before its key was read (an empty label is no label in PromQL, and sums
 * over workspaces still add up to the whole).
 */
export function workspaceLabel(m: Metrics, workspaceId: string | null): { workspace?: string } {
  return m.workspaceLabels ? { workspace: workspaceId ?? "" } : {};
}
