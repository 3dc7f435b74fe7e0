"use client";

import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";

// The audit log's times are shown in the workspace's zone by default, so everyone
// reading it sees the same clock; a viewer may switch to their own, remembered in
// this browser. null stands for the viewer's own zone.

const KEY = "warden.audit.times";
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const readChoice = () => (typeof localStorage !== "undefined" && localStorage.getItem(KEY) === "mine" ? "mine" : "workspace");

const DisplayZone = createContext<{ zone: string | null; workspaceZone: string }>({ zone: "UTC", workspaceZone: "UTC" });

export function DisplayZoneProvider({ workspaceZone, children }: { workspaceZone: string; children: ReactNode }) {
  // The server renders the workspace's zone; a viewer's own choice takes over in the browser.
  const choice = useSyncExternalStore(subscribe, readChoice, () => "workspace" as const);
  return <DisplayZone.Provider value={{ zone: choice === "mine" ? null : workspaceZone, workspaceZone }}>{children}</DisplayZone.Provider>;
}

export const useDisplayZone = () => useContext(DisplayZone);

/** Says which clock the times follow, and switches between the workspace's and the viewer's. */
export function DisplayZoneToggle() {
  const { zone, workspaceZone } = useDisplayZone();
  const own = useSyncExternalStore(
    subscribe,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => null,
  );
  const choose = (mine: boolean) => {
    if (mine) localStorage.setItem(KEY, "mine");
    else localStorage.removeItem(KEY);
    for (const listener of listeners) listener();
  };
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="audit-display-zone">
      {zone ? (
        <>
          Times in <span className="font-medium">{workspaceZone}</span>, the workspace&apos;s time zone.{" "}
          <button type="button" onClick={() => choose(true)} className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400">
            Show them in mine{own ? ` (${own})` : ""}
          </button>
        </>
      ) : (
        <>
          Times in your time zone
          {own ? (
            <>
              {" "}
              (<span className="font-medium">{own}</span>)
            </>
          ) : null}
          .{" "}
          <button type="button" onClick={() => choose(false)} className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400">
            Show them in the workspace&apos;s ({workspaceZone})
          </button>
        </>
      )}
    </p>
  );
}
