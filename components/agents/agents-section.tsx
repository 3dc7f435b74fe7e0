"use client";

import { createAgent } from "@/lib/actions/agents/create-agent";
import type { AgentRow } from "@/lib/agents/list-agents";
import type { TrendDay } from "@/lib/usage/list-agent-trends";
import { AgentTrend } from "@/components/usage/agent-trend";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { AgentFormDialog } from "./agent-form-dialog";
import { AgentRowActions } from "./agent-row-actions";
import { BudgetFields } from "./budget-fields";

function StateBadge({ agent }: { agent: AgentRow }) {
  const [label, tone] =
    agent.state === "paused"
      ? ["Paused", "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"]
      : agent.haltedToday
        ? ["Halted for today", "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"]
        : ["Active", "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"];
  return (
    <span data-testid="agent-state" className={`rounded-full px-2 py-0.5 text-xs font-medium ${tone}`}>
      {label}
    </span>
  );
}

/**
 * Spend and holds against the cap, as a native <meter>: the browser colours it
 * green, amber from the first threshold and red from the last (low/high/optimum),
 * with no inline style, which the CSP (style-src with a nonce) would refuse.
 */
function SpendBar({ agent }: { agent: AgentRow }) {
  const [first, last] = [agent.alertThresholds[0] ?? 50, agent.alertThresholds.at(-1) ?? 100];
  return (
    <div className="min-w-40 space-y-1">
      <meter
        className="block h-3 w-40"
        min={0}
        max={100}
        low={first}
        high={Math.max(first, last - 0.5)}
        optimum={0}
        value={agent.percentUsed}
        aria-label={`${agent.name}: ${agent.percentUsed}% of today's cap`}
      />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        ${agent.spentToday} spent{agent.heldToday !== "0.00" ? ` + $${agent.heldToday} held` : ""} of ${agent.dailyCap}
      </p>
    </div>
  );
}

export function AgentsSection({
  workspace,
  agents,
  trends = {},
  workspaceTimeZone,
  canManage,
  canBudget,
}: {
  workspace: string;
  agents: AgentRow[];
  trends?: Record<string, TrendDay[]>;
  workspaceTimeZone: string;
  canManage: boolean;
  canBudget: boolean;
}) {
  return (
    <section aria-labelledby="agents-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <h2 id="agents-heading" className="text-lg font-semibold">
          Agents
        </h2>
        {canManage ? (
          <AgentFormDialog trigger="New agent" title="New agent" action={createAgent} submitLabel="Create agent" hidden={{ workspace }} variant="primary">
            {(errors, values, fieldId) => (
              <>
                <Field label="Name" id={fieldId("name")} name="name" required defaultValue={values.name} errors={errors.name} autoComplete="off" />
                <BudgetFields
                  errors={errors}
                  fieldId={fieldId}
                  zonePlaceholder={`${workspaceTimeZone} (the workspace's)`}
                  defaults={{
                    dailyCap: values.dailyCap,
                    timeZone: values.timeZone,
                    alertThresholds: values.alertThresholds ?? "50, 80, 100",
                    unpricedPolicy: values.unpricedPolicy,
                  }}
                />
              </>
            )}
          </AgentFormDialog>
        ) : null}
      </div>
      {agents.length === 0 ? (
        <EmptyState title="No agents yet">Create an agent to give it a daily spend cap; the runtime asks Warden before each LLM call.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Agents of this workspace with today&apos;s spend against their caps</caption>
            <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
              <tr>
                {["Name", "State", "Today", "Last 7 days", "Time zone"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2">
                    {h}
                  </th>
                ))}
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {agents.map((agent) => (
                <tr key={agent.id} data-testid="agent-row">
                  <td className="px-4 py-2 font-medium">{agent.name}</td>
                  <td className="px-4 py-2">
                    <StateBadge agent={agent} />
                  </td>
                  <td className="px-4 py-2">
                    <SpendBar agent={agent} />
                  </td>
                  <td className="px-4 py-2">{trends[agent.id] ? <AgentTrend agentId={agent.id} name={agent.name} days={trends[agent.id]} /> : null}</td>
                  <td className="px-4 py-2 text-xs">
                    {agent.timeZone}
                    <span className="block text-zinc-500">{agent.today}</span>
                  </td>
                  <td className="px-4 py-2">
                    <AgentRowActions workspace={workspace} agent={agent} canManage={canManage} canBudget={canBudget} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
