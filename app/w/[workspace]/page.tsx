import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { getOverview } from "@/lib/workspaces/get-overview";
import { can } from "@/lib/authz/capabilities";
import { PageHeader } from "@/components/shell/page-header";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { membership } = await requireWorkspace((await params).workspace);
  const overview = await getOverview(membership.workspaceId);
  const showAudit = can(membership.role, "audit.read");
  return (
    <>
      <PageHeader title={membership.name} description="The state of this workspace at a glance." />
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <dt className="text-sm text-zinc-500">Members</dt>
          <dd className="mt-1 text-2xl font-semibold" data-testid="member-count">{overview.members}</dd>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <dt className="text-sm text-zinc-500">Your role</dt>
          <dd className="mt-1 text-2xl font-semibold capitalize">{membership.role}</dd>
        </div>
      </dl>
      {showAudit ? (
        <section className="mt-8" aria-labelledby="recent-activity">
          <h2 id="recent-activity" className="mb-3 text-lg font-semibold">Recent activity</h2>
          {overview.recentEvents.length === 0 ? (
            <p className="text-sm text-zinc-500">Nothing has happened in this workspace yet.</p>
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
              {overview.recentEvents.map((e) => (
                <li key={e.id} className="flex justify-between gap-4 px-4 py-2 text-sm">
                  <span><code className="font-mono">{e.action}</code> by {e.actorLabel ?? "system"}</span>
                  <time dateTime={e.occurredAt.toISOString()} className="text-zinc-500">{e.occurredAt.toISOString().replace("T", " ").slice(0, 16)} UTC</time>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
