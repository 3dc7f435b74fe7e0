import Link from "next/link";
import type { UsageGlance as Glance } from "@/lib/usage/get-usage-glance";
import { cardClass, linkClass } from "./card";
import { StatCard } from "./stat-card";

/** The workspace's agents at a glance: conversations, today's spend, and any agent its cap has halted. */
export function UsageGlance({ slug, usage }: { slug: string; usage: Glance }) {
  const href = `/w/${slug}/usage`;
  const halted = usage.haltedAgents;
  return (
    <section aria-labelledby="usage-glance-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="usage-glance-heading" className="text-lg font-semibold">
          Usage
        </h2>
        <Link href={href} className={`text-sm ${linkClass}`}>
          Usage and budgets
        </Link>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:gap-4">
        <StatCard label="Conversations, last 30 days" testId="overview-conversations-30d">
          {usage.conversations30d.toLocaleString("en-US")}
        </StatCard>
        <StatCard label="Spent today" testId="overview-spend-today">
          ${usage.spentToday}
        </StatCard>
      </dl>
      <div className={cardClass} data-testid="overview-halted-agents">
        {halted.length === 0 ? (
          <p className="text-sm text-emerald-700 dark:text-emerald-400">No agent is halted by its daily cap.</p>
        ) : (
          <>
            <p className="text-sm font-medium text-red-800 dark:text-red-300">{halted.length === 1 ? "1 agent is" : `${halted.length} agents are`} halted for today: their daily cap is reached.</p>
            <ul className="mt-2 space-y-1 text-sm">
              {halted.map((agent) => (
                <li key={agent.id}>
                  <Link href={href} className={linkClass}>
                    {agent.name}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
