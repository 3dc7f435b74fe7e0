"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { findAuditActors } from "@/lib/actions/audit/find-audit-actors";
import type { AuditActorOption } from "@/lib/audit/audit-actors";

// Long enough that a typed word sends one request, short enough to feel immediate.
const DEBOUNCE_MS = 200;

type Found = { status: "idle" } | { status: "searching" } | { status: "found"; options: AuditActorOption[] } | { status: "error"; message: string };

/**
 * The audit filter's actor: a combobox that finds members and API keys as the
 * person types (the server answers a few of each), instead of a list of everyone
 * on every page. The choice is the hidden `actor` field; `onChange` also hears text
 * typed but not chosen, so the form can say so rather than drop it.
 */
export function ActorPicker({
  workspace,
  selected,
  onChange,
  className,
}: {
  workspace: string;
  selected: { value: string; label: string } | null;
  onChange: (choice: { value: string; label: string } | null, typed: string) => void;
  className: string;
}) {
  const [text, setText] = useState(selected?.label ?? "");
  const [found, setFound] = useState<Found>({ status: "idle" });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const latest = useRef(0);
  const listId = useId();
  const options = found.status === "found" ? found.options : [];

  // Each keystroke supersedes the previous search; only the newest answer is shown.
  useEffect(() => {
    const query = text.trim();
    if (!open || !query || query === selected?.label) return;
    const ask = ++latest.current;
    const search = async () => {
      const form = new FormData();
      form.set("workspace", workspace);
      form.set("query", query);
      const answer = await findAuditActors({ status: "idle" }, form).catch(() => null);
      if (ask !== latest.current) return;
      if (answer?.status === "ok") {
        setFound({ status: "found", options: answer.data });
        setActive(0);
      } else {
        setFound({ status: "error", message: answer?.status === "error" ? answer.error : "The search did not answer. Try again." });
      }
    };
    const timer = setTimeout(() => void search(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, open, workspace, selected?.label]);

  const choose = (option: AuditActorOption) => {
    setText(option.label);
    setOpen(false);
    setFound({ status: "idle" });
    onChange({ value: option.value, label: option.label }, option.label);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      if (options.length) setActive((i) => (i + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
    } else if (event.key === "Enter" && open && options[active]) {
      // Enter picks the highlighted match; it does not apply the filters half-chosen.
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const expanded = open && text.trim() !== "" && found.status !== "idle";
  const optionId = (i: number) => `${listId}-option-${i}`;
  return (
    <div className="relative">
      <input type="hidden" name="actor" value={selected?.value ?? ""} />
      <input
        type="text"
        role="combobox"
        aria-label="Actor"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && options[active] ? optionId(active) : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Anyone: type a name, email or key"
        value={text}
        maxLength={100}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          if (event.target.value.trim()) setFound({ status: "searching" });
          else setFound({ status: "idle" });
          onChange(null, event.target.value);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={className}
      />
      <div
        id={listId}
        role="listbox"
        aria-label="Matching actors"
        hidden={!expanded}
        className="absolute z-20 mt-1 max-h-72 w-full min-w-72 overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      >
        {options.map((option, i) => (
          <div
            key={option.value}
            id={optionId(i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            // mousedown, not click: the input's blur would close the list before a click lands.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
            onMouseEnter={() => setActive(i)}
            className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5 ${i === active ? "bg-indigo-50 dark:bg-indigo-950" : ""}`}
          >
            <span className="truncate">{option.label}</span>
            <span className="shrink-0 text-xs text-zinc-500">{option.kind === "member" ? "member" : "API key"}</span>
          </div>
        ))}
      </div>
      <p role="status" className={expanded ? "mt-1 text-xs text-zinc-500" : "sr-only"}>
        {found.status === "searching"
          ? "Searching…"
          : found.status === "error"
            ? found.message
            : found.status === "found"
              ? found.options.length
                ? `${found.options.length} match${found.options.length === 1 ? "" : "es"}: use the arrow keys and Enter to choose`
                : "No member or key matches"
              : ""}
      </p>
    </div>
  );
}
