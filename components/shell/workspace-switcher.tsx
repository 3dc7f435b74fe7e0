"use client";

import { useId } from "react";
import { useRouter } from "next/navigation";
import { CreateWorkspaceDialog } from "@/components/workspaces/create-workspace-dialog";

type Option = { slug: string; name: string };

/**
 * A native select: keyboard and screen-reader support come with it. "Create
 * workspace" is offered to those the instance lets create one (the server
 * decides again).
 */
export function WorkspaceSwitcher({ current, workspaces, canCreate = false }: { current: string; workspaces: Option[]; canCreate?: boolean }) {
  const router = useRouter();
  // Rendered twice (sidebar and phone menu): each copy needs its own label target.
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium uppercase tracking-wide text-zinc-500">
        Workspace
      </label>
      <select
        id={id}
        value={current}
        onChange={(e) => router.push(`/w/${e.target.value}`)}
        className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
      </select>
      {canCreate ? (
        <div className="mt-1">
          <CreateWorkspaceDialog />
        </div>
      ) : null}
    </div>
  );
}
