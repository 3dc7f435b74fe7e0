import type { AccountEventRow } from "@/lib/audit/list-my-account-events";
import { LocalTime } from "@/components/ui/local-time";

/** The person's own recent security events: what happened, when, from where. */
export function AccountEventList({ events }: { events: AccountEventRow[] }) {
  if (events.length === 0) return <p className="text-sm text-zinc-500">No security events yet.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your recent security events, newest first</caption>
        <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
          <tr>
            <th scope="col" className="px-4 py-2">
              Event
            </th>
            <th scope="col" className="px-4 py-2">
              When
            </th>
            <th scope="col" className="px-4 py-2">
              IP address
            </th>
            <th scope="col" className="px-4 py-2">
              Device
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {events.map((e) => (
            <tr key={e.id} data-testid="account-event-row">
              <td className="px-4 py-3 font-medium">{e.label}</td>
              <td className="px-4 py-3">
                <LocalTime iso={e.occurredAt} />
              </td>
              <td className="px-4 py-3 font-mono text-xs">{e.ip ?? "unknown"}</td>
              <td className="px-4 py-3">
                {e.browser} on {e.system}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
