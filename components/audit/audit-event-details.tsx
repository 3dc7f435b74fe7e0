import Link from "next/link";
import type { AuditEventDetails as Details } from "@/lib/audit/get-audit-log-view";
import type { AuditName } from "@/lib/audit/to-audit-event-row";
import { EventTime } from "./event-time";

type Props = { details: Details; hrefFor: (changes: Record<string, string | undefined>) => string; closeHref: string };

/** A name with what the log holds for it: the email, prefix or reference, and the type and id. */
function Named({ name, type, id, label }: { name: AuditName; type: string; id: string | null; label?: string | null }) {
  const details = [name.detail, label && label !== name.detail && label !== name.name ? label : null].filter(Boolean);
  return (
    <>
      <span className="font-medium">{name.name}</span>{" "}
      {details.length ? (
        <>
          <span className="block text-zinc-600 dark:text-zinc-400">{details.join(" · ")}</span>{" "}
        </>
      ) : null}
      <span className="block break-all font-mono text-xs text-zinc-500">
        {type}
        {id ? ` ${id}` : ""}
      </span>
    </>
  );
}

/** The full event: who, what, from where, its place in the chain, and the rest of its request. */
export function AuditEventDetails({ details, hrefFor, closeHref }: Props) {
  const { event, sameRequest } = details;
  const rows: [string, React.ReactNode][] = [
    ["When", <EventTime key="t" iso={event.occurred_at} />],
    [
      "UTC",
      <span key="u" className="font-mono">
        {event.occurred_at}
      </span>,
    ],
    // The label is what the event recorded when it was written (the email of the time).
    ["Actor", <Named key="a" name={event.shown.actor} type={event.actor.type} id={event.actor.id} label={event.actor.label} />],
    [
      "Action",
      <span key="c">
        {event.shown.action}{" "}
        <code className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="event-action-code">
          {event.action}
        </code>
      </span>,
    ],
    ["Target", event.target && event.shown.target ? <Named key="g" name={event.shown.target} type={event.target.type} id={event.target.id} /> : "—"],
    [
      "IP address",
      <span key="i" className="font-mono">
        {event.ip ?? "—"}
      </span>,
    ],
    ["User agent", event.user_agent ?? "—"],
    [
      "Request id",
      <span key="r" className="font-mono">
        {event.request_id ?? "—"}
      </span>,
    ],
    [
      "Client request id",
      <span key="c" className="font-mono">
        {event.client_request_id ?? "—"}
      </span>,
    ],
    [
      "Chain position",
      <span key="s" className="font-mono">
        #{event.seq}
      </span>,
    ],
    [
      "Hash",
      <span key="h" className="break-all font-mono text-xs">
        {event.hash}
      </span>,
    ],
    [
      "Key id",
      <span key="k" className="font-mono text-xs">
        {event.key_id ?? "—"}
      </span>,
    ],
    [
      "Previous hash",
      <span key="p" className="break-all font-mono text-xs">
        {event.prev_hash}
      </span>,
    ],
  ];
  return (
    <aside aria-labelledby="event-details-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900" data-testid="event-details">
      <div className="flex items-start justify-between gap-3">
        <h2 id="event-details-heading" className="text-base font-semibold">
          Event details
        </h2>
        <Link href={closeHref} scroll={false} className="-m-1 rounded p-1 text-sm text-zinc-600 underline dark:text-zinc-400">
          Close
        </Link>
      </div>
      <p className="text-sm" data-testid="event-sentence">
        {event.shown.sentence}
      </p>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500">{label}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-3 text-sm">
        {event.actor.id ? (
          <Link className="text-indigo-700 underline dark:text-indigo-400" href={hrefFor({ actor: `${event.actor.type}:${event.actor.id}` })}>
            Only this actor
          </Link>
        ) : null}
        {event.target?.id ? (
          <Link className="text-indigo-700 underline dark:text-indigo-400" href={hrefFor({ target_type: event.target.type, target_id: event.target.id })}>
            Only this target
          </Link>
        ) : null}
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
                  {other.shown.action} <code className="text-xs">{other.action}</code> · #{other.seq}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
