import type { UsagePage } from "@/lib/usage/get-usage-page";
import { linkClass } from "@/components/overview/card";
import { StatCard } from "@/components/overview/stat-card";
import { EmptyState } from "@/components/ui/empty-state";
import { DailyUsageChart } from "./daily-usage-chart";
import { SpendByModel } from "./spend-by-model";

/**
 * The workspace's last 30 days: the conversation count (rolling, to the instant),
 * spend and conversations per day, spend by model, and the CSV download.
 */
export function WorkspaceUsageSection({ workspace, usage }: { workspace: string; usage: Pick<UsagePage, "window" | "workspaceTimeZone" | "conversations30d" | "daily" | "byModel"> }) {
  const quiet = usage.conversations30d === 0 && usage.byModel.length === 0 && usage.daily.every((d) => d.spentMicros === 0 && d.conversations === 0);
  return (
    <section aria-labelledby="workspace-usage-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="workspace-usage-heading" className="text-lg font-semibold">
          Last 30 days
        </h2>
        <a href={`/w/${workspace}/usage/export`} className={`text-sm ${linkClass}`} data-testid="usage-export-link" download>
          Download CSV
        </a>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4">
        <StatCard label="Conversations, last 30 days" testId="usage-conversations-30d">
          {usage.conversations30d.toLocaleString("en-US")}
        </StatCard>
      </dl>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Days {usage.window.from} to {usage.window.to} ({usage.workspaceTimeZone}); each agent&apos;s spend counts on its own day.
      </p>
      {quiet ? <EmptyState title="No usage yet">Once the runtime reports conversations and Warden authorizes LLM calls, spend and conversations per day appear here.</EmptyState> : null}
      <div className="space-y-6">
        <div className="space-y-2">
          <h3 className="text-sm font-semibold">Spend and conversations per day</h3>
          <DailyUsageChart days={usage.daily} />
        </div>
        <div className="space-y-2">
          <h3 className="text-sm font-semibold">Spend by model</h3>
          <SpendByModel models={usage.byModel} />
        </div>
      </div>
    </section>
  );
}
