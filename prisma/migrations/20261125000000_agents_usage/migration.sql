-- Agents, their daily spend caps, spend holds (reserve, then settle), model prices,
-- and usage events with daily rollups. Money is integer micro-dollars throughout
-- (1 USD = 1,000,000): no float ever touches a balance.

CREATE TABLE public.agents (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  -- active | paused | archived ("halted for today" is derived from the day's row).
  "state" TEXT NOT NULL DEFAULT 'active',
  "daily_cap_micros" BIGINT NOT NULL,
  -- The IANA zone whose midnight starts the agent's day.
  "time_zone" TEXT NOT NULL DEFAULT 'UTC',
  "alert_thresholds" INTEGER[] NOT NULL DEFAULT '{50,80,100}',
  -- deny | allow: what an authorization for a model without a price does.
  "unpriced_policy" TEXT NOT NULL DEFAULT 'deny',
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "archived_at" TIMESTAMPTZ(3),
  CONSTRAINT "agents_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "agents_state" CHECK ("state" IN ('active', 'paused', 'archived')),
  CONSTRAINT "agents_unpriced_policy" CHECK ("unpriced_policy" IN ('deny', 'allow')),
  CONSTRAINT "agents_cap_range" CHECK ("daily_cap_micros" BETWEEN 0 AND 1000000000000000),
  CONSTRAINT "agents_name_length" CHECK (length("name") BETWEEN 1 AND 80),
  CONSTRAINT "agents_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE,
  CONSTRAINT "agents_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES public.users("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "agents_id_workspace_id_key" ON public.agents("id", "workspace_id");
-- A name is unique among the workspace's agents that are not archived.
CREATE UNIQUE INDEX "agents_workspace_id_name_live_key" ON public.agents("workspace_id", "name") WHERE "archived_at" IS NULL;

-- One row per agent and day (in the agent's zone): the spend cap's invariant
-- (spent + held <= cap) is checked and changed on this row in one statement.
CREATE TABLE public.agent_days (
  "workspace_id" UUID NOT NULL,
  "agent_id" UUID NOT NULL,
  "day" DATE NOT NULL,
  "spent_micros" BIGINT NOT NULL DEFAULT 0,
  "held_micros" BIGINT NOT NULL DEFAULT 0,
  -- Thresholds (percent) already alerted for this day: one alert per threshold per day.
  "alerted_thresholds" INTEGER[] NOT NULL DEFAULT '{}',
  CONSTRAINT "agent_days_pkey" PRIMARY KEY ("agent_id", "day"),
  CONSTRAINT "agent_days_amounts" CHECK ("spent_micros" >= 0 AND "held_micros" >= 0),
  CONSTRAINT "agent_days_agent_fkey" FOREIGN KEY ("agent_id", "workspace_id") REFERENCES public.agents("id", "workspace_id") ON DELETE CASCADE
);

CREATE TABLE public.spend_holds (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "agent_id" UUID NOT NULL,
  -- The agent's day the hold was taken on: a capture is charged to it, whenever it comes.
  "day" DATE NOT NULL,
  "api_key_id" UUID,
  "idempotency_key" TEXT NOT NULL,
  -- SHA-256 of the canonical request body: a reused key with another body is a 409.
  "request_hash" TEXT NOT NULL,
  "model" TEXT NOT NULL,
  "input_tokens" INTEGER,
  "max_output_tokens" INTEGER,
  "held_micros" BIGINT NOT NULL,
  -- held | captured | voided | expired
  "state" TEXT NOT NULL DEFAULT 'held',
  "charged_micros" BIGINT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "settled_at" TIMESTAMPTZ(3),
  CONSTRAINT "spend_holds_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "spend_holds_state" CHECK ("state" IN ('held', 'captured', 'voided', 'expired')),
  CONSTRAINT "spend_holds_amounts" CHECK ("held_micros" >= 0 AND ("charged_micros" IS NULL OR "charged_micros" >= 0)),
  CONSTRAINT "spend_holds_idempotency_key_length" CHECK (length("idempotency_key") BETWEEN 1 AND 255),
  CONSTRAINT "spend_holds_day_fkey" FOREIGN KEY ("agent_id", "day") REFERENCES public.agent_days("agent_id", "day") ON DELETE CASCADE,
  CONSTRAINT "spend_holds_agent_fkey" FOREIGN KEY ("agent_id", "workspace_id") REFERENCES public.agents("id", "workspace_id") ON DELETE CASCADE,
  CONSTRAINT "spend_holds_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES public.api_keys("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "spend_holds_agent_id_idempotency_key_key" ON public.spend_holds("agent_id", "idempotency_key");
CREATE INDEX "spend_holds_open_expiry_idx" ON public.spend_holds("expires_at") WHERE "state" = 'held';
CREATE INDEX "spend_holds_workspace_id_idx" ON public.spend_holds("workspace_id");

-- Price per million tokens, in micro-dollars, from a day on; the row in effect on a
-- day is the latest effective_from not after it.
CREATE TABLE public.model_prices (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "model" TEXT NOT NULL,
  "input_micros_per_mtok" BIGINT NOT NULL,
  "output_micros_per_mtok" BIGINT NOT NULL,
  "effective_from" DATE NOT NULL,
  -- bundled:<date of the bundled file> | a person's edit
  "source" TEXT NOT NULL DEFAULT 'manual',
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "model_prices_amounts" CHECK ("input_micros_per_mtok" >= 0 AND "output_micros_per_mtok" >= 0),
  CONSTRAINT "model_prices_model_length" CHECK (length("model") BETWEEN 1 AND 200),
  CONSTRAINT "model_prices_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE,
  CONSTRAINT "model_prices_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES public.users("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "model_prices_workspace_id_model_effective_from_key" ON public.model_prices("workspace_id", "model", "effective_from");

-- Usage reported by the runtime; (workspace, id) is unique so a retried event counts once.
CREATE TABLE public.usage_events (
  "workspace_id" UUID NOT NULL,
  "id" TEXT NOT NULL,
  "agent_id" UUID NOT NULL,
  -- conversation.started | turn.completed | llm.call | tool.invoked
  "type" TEXT NOT NULL,
  "occurred_at" TIMESTAMPTZ(3) NOT NULL,
  "day" DATE NOT NULL,
  "conversation_id" TEXT,
  "model" TEXT,
  "input_tokens" INTEGER,
  "output_tokens" INTEGER,
  "cost_micros" BIGINT,
  "authorization_id" UUID,
  "tool" TEXT,
  "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "usage_events_pkey" PRIMARY KEY ("workspace_id", "id"),
  CONSTRAINT "usage_events_type" CHECK ("type" IN ('conversation.started', 'turn.completed', 'llm.call', 'tool.invoked')),
  CONSTRAINT "usage_events_id_length" CHECK (length("id") BETWEEN 1 AND 200),
  CONSTRAINT "usage_events_agent_fkey" FOREIGN KEY ("agent_id", "workspace_id") REFERENCES public.agents("id", "workspace_id") ON DELETE CASCADE
);
CREATE INDEX "usage_events_workspace_id_type_occurred_at_idx" ON public.usage_events("workspace_id", "type", "occurred_at");

-- Per agent and day (the agent's zone), kept in the ingesting transaction.
CREATE TABLE public.usage_daily (
  "workspace_id" UUID NOT NULL,
  "agent_id" UUID NOT NULL,
  "day" DATE NOT NULL,
  "conversations" INTEGER NOT NULL DEFAULT 0,
  "turns" INTEGER NOT NULL DEFAULT 0,
  "llm_calls" INTEGER NOT NULL DEFAULT 0,
  "input_tokens" BIGINT NOT NULL DEFAULT 0,
  "output_tokens" BIGINT NOT NULL DEFAULT 0,
  "tool_invocations" INTEGER NOT NULL DEFAULT 0,
  "cost_micros" BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("agent_id", "day"),
  CONSTRAINT "usage_daily_agent_fkey" FOREIGN KEY ("agent_id", "workspace_id") REFERENCES public.agents("id", "workspace_id") ON DELETE CASCADE
);
CREATE INDEX "usage_daily_workspace_id_day_idx" ON public.usage_daily("workspace_id", "day");

-- A runtime key may be bound to one agent: it then acts only for that agent.
ALTER TABLE public.api_keys ADD COLUMN "agent_id" UUID;
ALTER TABLE public.api_keys ADD CONSTRAINT "api_keys_agent_fkey"
  FOREIGN KEY ("agent_id", "workspace_id") REFERENCES public.agents("id", "workspace_id");

-- The workspace's own zone (the default day of its agents; UTC when unset).
ALTER TABLE public.workspaces ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['agents', 'agent_days', 'spend_holds', 'model_prices', 'usage_events', 'usage_daily'] LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON public.%I USING ("workspace_id" = public.app_current_workspace_id()) WITH CHECK ("workspace_id" = public.app_current_workspace_id())', t || '_workspace_isolation', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON public.agents TO warden_app;
GRANT SELECT, INSERT, UPDATE ON public.agent_days TO warden_app;
GRANT SELECT, INSERT, UPDATE ON public.spend_holds TO warden_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.model_prices TO warden_app;
GRANT SELECT, INSERT ON public.usage_events TO warden_app;
GRANT SELECT, INSERT, UPDATE ON public.usage_daily TO warden_app;
