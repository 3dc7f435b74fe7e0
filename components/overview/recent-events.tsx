import Link from "next/link";
import type { RecentEvent } from "@/lib/workspaces/get-overview";
import { LocalTime } from "@/components/ui/local-time";
import { linkClass } from "./card";

/** The latest events as sentences; each opens the event in the audit log. */
export function RecentEvents({ slug, events }: { slug: string; events: RecentEvent[] }) {
  const audit = `/w/${slug}/audit`;
  return (
    <section aria-labelledby="recent-activity">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="recent-activity" className="text-lg font-semibold">
          Recent activity
        </h2>
        <Link href={audit} className={`text-sm ${linkClass}`}>
          Open the audit log
        </Link>
      </div>
      {events.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing has happened in this workspace yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="recent-events">
          {events.map((e) => (
            <li key={e.id}>
              <Link
                href={`${audit}?event=${e.id}`}
                title={e.action}
                className="flex flex-col gap-0.5 px-4 py-2 text-sm hover:bg-zinc-50 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4 dark:hover:bg-zinc-800/60"
              >
                <span className="min-w-0 break-words">{e.sentence}</span>
                <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">
                  <LocalTime iso={e.occurredAt} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
