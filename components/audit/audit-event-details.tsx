import Link from "next/link";
import type { AuditEventDetails as Details } from "@/lib/audit/get-audit-log-view";
import { LocalTime } from "@/components/ui/local-time";

type Props = { details: Details; hrefFor: (changes: Record<string, string | undefined>) => string; closeHref: string };

/** The full event: who, what, from where, its place in the chain, and the rest of its request. */
export function AuditEventDetails({ details, hrefFor, closeHref }: Props) {
  const { event, sameRequest } = details;
  const rows: [string, React.ReactNode][] = [
    ["When", <LocalTime key="t" iso={event.occurred_at} />],
    ["UTC", <span key="u" className="font-mono">{event.occurred_at}</span>],
    ["Actor", <>{event.actor.label ?? "—"} <span className="text-zinc-500">({event.actor.type}{event.actor.id ? ` ${event.actor.id}` : ""})</span></>],
    ["Action", <code key="a">{event.action}</code>],
    ["Target", event.target ? <span className="font-mono">{event.target.type} {event.target.id}</span> : "—"],
    ["IP address", <span key="i" className="font-mono">{event.ip ?? "—"}</span>],
    ["User agent", event.user_agent ?? "—"],
    ["Request id", <span key="r" className="font-mono">{event.request_id ?? "—"}</span>],
    ["Client request id", <span key="c" className="font-mono">{event.client_request_id ?? "—"}</span>],
    ["Chain position", <span key="s" className="font-mono">#{event.seq}</span>],
    ["Hash", <span key="h" className="break-all font-mono text-xs">{event.hash}</span>],
    ["Key id", <span key="k" className="font-mono text-xs">{event.key_id ?? "—"}</span>],
    ["Previous hash", <span key="p" className="break-all font-mono text-xs">{event.prev_hash}</span>],
  ];
  return (
    <aside aria-labelledby="event-details-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900" data-testid="event-details">
      <div className="flex items-start justify-between gap-3">
        <h2 id="event-details-heading" className="text-base font-semibold">Event details</h2>
        <Link href={closeHref} scroll={false} className="text-sm text-zinc-600 underline dark:text-zinc-400">Close</Link>
      </div>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500">{label}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-3 text-sm">
        {event.actor.id ? <Link className="text-indigo-700 underline dark:text-indigo-400" href={hrefFor({ actor: `${event.actor.type}:${event.actor.id}` })}>Only this actor</Link> : null}
        {event.target?.id ? <Link className="text-indigo-700 underline dark:text-indigo-400" href={hrefFor({ target_type: event.target.type, target_id: event.target.id })}>Only this target</Link> : null}
      </div>
      <div>
        <h3 className="text-sm font-semibold">Metadata</h3>
        <pre className="mt-1 max-h-72 overflow-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-950">{JSON.stringify(event.metadata, null, 2)}</pre>
      </div>
      <div>
        <h3 className="text-sm font-semibold">Other events of this request</h3>
        {sameRequest.length === 0 ? (
          <p className="text-sm text-zinc-500">None.</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm">
            {sameRequest.map((other) => (
              <li key={other.id}>
                <Link href={hrefFor({ event: other.id })} scroll={false} className="text-indigo-700 underline dark:text-indigo-400">
                  <code>{other.action}</code> · #{other.seq}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
