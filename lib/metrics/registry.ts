import "server-only";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics of this process. Next may load a module more than once (one
// copy per route bundle, again after a hot reload): the registry and its metrics
// live on globalThis so every copy counts into the same series, and prom-client
// never sees a metric registered twice. No label carries a workspace: cardinality
// would grow with every tenant.

type Metrics = {
  registry: Registry;
  sessionsStarted: Counter;
  turns: Counter;
  llmTokens: Counter<"direction">;
  toolInvocations: Counter;
  spendAuthorizations: Counter<"outcome">;
  httpDuration: Histogram<"route" | "method" | "status">;
};

const GLOBAL_KEY = Symbol.for("warden.metrics");

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    sessionsStarted: new Counter({ name: "sessions_started_total", help: "Conversations started, as reported by the runtime.", registers }),
    turns: new Counter({ name: "turns_total", help: "Conversation turns completed, as reported by the runtime.", registers }),
    llmTokens: new Counter({ name: "llm_tokens_total", help: "LLM tokens reported by the runtime, by direction (input, output).", labelNames: ["direction"], registers }),
    toolInvocations: new Counter({ name: "tool_invocations_total", help: "Tool invocations reported by the runtime.", registers }),
    spendAuthorizations: new Counter({ name: "warden_spend_authorizations_total", help: "Spend authorizations answered, by outcome.", labelNames: ["outcome"], registers }),
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
  return (holder[GLOBAL_KEY] ??= create());
}
