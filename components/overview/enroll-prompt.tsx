import Link from "next/link";

/** Shown to a viewer who has no second factor, whatever the workspace requires. */
export function EnrollPrompt({ required, workspace }: { required: boolean; workspace: string }) {
  return (
    <aside
      aria-labelledby="enroll-prompt-heading"
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950/40"
    >
      <div className="min-w-0">
        <h2 id="enroll-prompt-heading" className="font-semibold">
          Protect your account with two-factor authentication
        </h2>
        <p className="mt-1 text-zinc-700 dark:text-zinc-300">{required ? `${workspace} requires it of your role.` : "A stolen password alone will no longer be enough to sign in as you."}</p>
      </div>
      <Link href="/account/security" className="shrink-0 rounded-md bg-zinc-900 px-3.5 py-2 font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300">
        Set up two-factor authentication
      </Link>
    </aside>
  );
}
