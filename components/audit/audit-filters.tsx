"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useSyncExternalStore, useTransition, type FormEvent } from "react";
import { AUDIT_ACTION_GROUPS, AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/audit/audit-actions";
import { auditActionLabel, auditActionMatches } from "@/lib/audit/describe-audit-action";
import { auditFilterSchema, type AuditFilters as Filters } from "@/lib/audit/schemas";
import { auditSearchParams } from "@/lib/audit/audit-search-params";
import { Button } from "@/components/ui/button";
import { instantFromWallClock, wallClockIn } from "@/lib/time/wall-clock";
import { useDisplayZone } from "./display-zone";
import { ActorPicker } from "./actor-picker";

const RANGES = [
  { value: "", label: "Any time" },
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "custom", label: "Custom…" },
];

const subscribe = () => () => {};

const FIELD_LABELS: Record<string, string> = {
  actor: "Actor",
  action: "Actions",
  target_type: "Target type",
  target_id: "Target id",
  range: "Time",
  from: "From",
  to: "To",
};

const control = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** A UTC instant as the value of a datetime-local input, in the viewer's time zone. */
/** A datetime-local field's value for the instant, on the clock the log is shown in. */
function toInput(iso: string | undefined, zone: string): string {
  return iso ? wallClockIn(iso, zone) : "";
}

/** Filters are applied together on submit and written to the URL, so a filtered view can be shared. */
export function AuditFilters({ workspace, filters, actor: named }: { workspace: string; filters: Filters; actor: { value: string; label: string } | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [actions, setActions] = useState<string[]>(filters.action ?? []);
  const [search, setSearch] = useState("");
  const [range, setRange] = useState(filters.range ?? (filters.from || filters.to ? "custom" : ""));
  const [error, setError] = useState<string | null>(null);
  // A filter naming someone no longer in the workspace keeps its raw value as its label.
  const [actor, setActor] = useState(named ?? (filters.actor ? { value: filters.actor, label: filters.actor } : null));
  const [actorTyped, setActorTyped] = useState(actor?.label ?? "");
  // The period is entered on the clock the log is shown in: the workspace's zone, or the
  // viewer's own, which is known only in the browser (the server then renders the
  // custom period's fields empty and the browser fills them in).
  const { zone } = useDisplayZone();
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const timeZone = zone ?? (inBrowser ? Intl.DateTimeFormat().resolvedOptions().timeZone : null);

  // A group's name finds all of its actions ("Members"); otherwise each action by its label or code.
  const query = search.trim().toLowerCase();
  const groups = AUDIT_ACTION_GROUPS.map((group) => {
    const names = AUDIT_ACTIONS.filter((a) => a.startsWith(group.prefix));
    const shown = query && group.label.toLowerCase().includes(query) ? names : names.filter((a) => auditActionMatches(a, search));
    return { group, names, shown };
  }).filter((g) => g.shown.length > 0);

  const toggle = (names: string[], on: boolean) => setActions((current) => (on ? [...new Set([...current, ...names])] : current.filter((a) => !names.includes(a))));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!actor && actorTyped.trim()) return setError("Actor: choose someone from the list, or clear the field to see everyone");
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    // datetime-local values are wall-clock times in the displayed zone; the URL carries UTC.
    const instant = (name: string) => (text(name) && timeZone ? instantFromWallClock(text(name)!, timeZone) : undefined);
    // The server's own schema checks the combination before it goes into the URL.
    const parsed = auditFilterSchema.safeParse({
      actor: text("actor"),
      action: actions.length ? actions : undefined,
      target_type: text("target_type"),
      target_id: text("target_id"),
      ...(range === "custom" ? { from: instant("from"), to: instant("to") } : { range: range || undefined }),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setError(`${FIELD_LABELS[String(issue.path[0])] ?? "Filters"}: ${issue.message}`);
    }
    setError(null);
    startTransition(() => router.push(`${pathname}?${auditSearchParams(parsed.data).toString()}`));
  }

  return (
    <form onSubmit={apply} aria-label="Filter the audit log" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1 text-sm">
          <span className="font-medium" aria-hidden>
            Actor
          </span>
          <ActorPicker
            workspace={workspace}
            selected={actor}
            onChange={(choice, typed) => {
              setActor(choice);
              setActorTyped(typed);
            }}
            className={`${control} w-64`}
          />
        </div>

        <div className="flex flex-col gap-1 text-sm">
          <span className="font-medium" aria-hidden>
            Actions
          </span>
          <details
            className="relative"
            onKeyDown={(event) => {
              // Escape closes the list and returns to its button, as a native select would.
              if (event.key !== "Escape" || !event.currentTarget.open) return;
              // Handled: the event's details, if open, stay open.
              event.preventDefault();
              event.currentTarget.open = false;
              event.currentTarget.querySelector("summary")?.focus();
            }}
          >
            <summary
              className={`${control} flex w-44 cursor-pointer list-none items-center justify-between select-none`}
              aria-label={`Actions: ${actions.length ? `${actions.length} selected` : "all"}`}
            >
              <span data-testid="actions-summary" className="truncate">
                {actions.length === 1 ? auditActionLabel(actions[0]) : actions.length ? `${actions.length} selected` : "All actions"}
              </span>
              <span aria-hidden className="text-xs text-zinc-500">
                ▾
              </span>
            </summary>
            <fieldset className="absolute z-20 mt-1 max-h-96 w-80 max-w-[calc(100vw-2rem)] overflow-y-auto rounded-md border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
              <legend className="sr-only">Actions</legend>
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                // Enter narrows the list; it does not apply the filters half-chosen.
                onKeyDown={(e) => void (e.key === "Enter" && e.preventDefault())}
                placeholder="Find an action (“role”, “member.role”)"
                aria-label="Find an action"
                className={`${control} mb-2 w-full`}
              />
              {groups.map(({ group, names, shown }) => {
                const all = names.every((n) => actions.includes(n));
                return (
                  <div key={group.prefix} className="mb-2">
                    <label className="flex items-center gap-2 font-semibold">
                      <input type="checkbox" checked={all} onChange={(e) => toggle(names, e.target.checked)} aria-label={`All ${group.label} actions`} />
                      {group.label}
                    </label>
                    <ul className="ml-6 mt-1 space-y-0.5">
                      {shown.map((name) => (
                        <li key={name}>
                          <label className="flex items-baseline gap-2">
                            <input type="checkbox" checked={actions.includes(name)} onChange={(e) => toggle([name], e.target.checked)} />
                            <span>
                              {auditActionLabel(name)} <code className="text-xs text-zinc-500 dark:text-zinc-400">{name}</code>
                            </span>
                          </label>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}
              {groups.length === 0 ? <p className="text-sm text-zinc-500">No action matches “{search}”.</p> : null}
            </fieldset>
          </details>
        </div>

        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Target type</span>
          <select name="target_type" defaultValue={filters.target_type ?? ""} className={control}>
            <option value="">Any</option>
            {AUDIT_TARGET_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Target id</span>
          <input name="target_id" defaultValue={filters.target_id ?? ""} placeholder="Any" maxLength={200} className={`${control} w-48`} />
        </label>

        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Time</span>
          <select name="range" value={range} onChange={(e) => setRange(e.target.value)} className={control}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {range === "custom" ? (
          <>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">
                From <span className="font-normal text-zinc-500">({timeZone ?? "your time zone"})</span>
              </span>
              <input key={timeZone ?? ""} type="datetime-local" name="from" defaultValue={timeZone ? toInput(filters.from, timeZone) : ""} className={control} />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">
                To <span className="font-normal text-zinc-500">({timeZone ?? "your time zone"})</span>
              </span>
              <input key={timeZone ?? ""} type="datetime-local" name="to" defaultValue={timeZone ? toInput(filters.to, timeZone) : ""} className={control} />
            </label>
          </>
        ) : null}

        <div className="flex gap-2">
          <Button type="submit" pending={pending}>
            Apply filters
          </Button>
          <Button type="button" variant="ghost" onClick={() => startTransition(() => router.push(pathname))}>
            Clear
          </Button>
        </div>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
