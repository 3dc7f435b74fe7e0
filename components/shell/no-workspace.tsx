import Link from "next/link";
import type { Membership } from "@/lib/workspaces/membership";
import { EmptyState } from "@/components/ui/empty-state";
import { CreateWorkspaceDialog } from "@/components/workspaces/create-workspace-dialog";

/**
 * What a signed-in person is told when a workspace is not theirs to open, or
 * when they belong to none (never invited, removed, or they left): where they
 * can still go, and how to get back in.
 */
export function NoWorkspace({ title, workspaces, canCreate = false }: { title: string; workspaces: Pick<Membership, "slug" | "name">[]; canCreate?: boolean }) {
  return (
    <EmptyState title={title}>
      {workspaces.length === 0 ? (
        <p>You are not a member of any workspace. Ask an owner for an invitation: it arrives as a link, and you join when you open it.</p>
      ) : (
        <>
          <p>Your workspaces:</p>
          <ul className="mt-2 space-y-1">
            {workspaces.map((w) => (
              <li key={w.slug}>
                <Link href={`/w/${w.slug}`} className="font-medium text-indigo-700 underline dark:text-indigo-400">
                  {w.name}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {/* Where the instance lets this person create workspaces (WARDEN_WORKSPACE_CREATION): the switcher's entry, here too. */}
      {canCreate ? (
        <div className="mt-4 space-y-1">
          <p>You can also create a workspace of your own and become its owner.</p>
          <div className="mx-auto max-w-xs">
            <CreateWorkspaceDialog />
          </div>
        </div>
      ) : null}
      <p className="mt-4">
        Your account is still yours: its{" "}
        <Link href="/account/security" className="font-medium text-indigo-700 underline dark:text-indigo-400">
          security
        </Link>{" "}
        and{" "}
        <Link href="/account/sessions" className="font-medium text-indigo-700 underline dark:text-indigo-400">
          sessions
        </Link>{" "}
        stay open to you, and you can sign out from the menu at the top right.
      </p>
    </EmptyState>
  );
}
