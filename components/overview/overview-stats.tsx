import { cardClass } from "./card";

/** The workspace in three numbers a person checks first. */
export function OverviewStats({ members, withMfa, role }: { members: number; withMfa: number; role: string }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4">
      <div className={cardClass}>
        <dt className="text-xs text-zinc-500 sm:text-sm dark:text-zinc-400">Members</dt>
        <dd className="mt-1 text-xl font-semibold sm:text-2xl" data-testid="member-count">{members}</dd>
      </div>
      <div className={cardClass}>
        <dt className="text-xs text-zinc-500 sm:text-sm dark:text-zinc-400">Your role</dt>
        <dd className="mt-1 truncate text-xl font-semibold capitalize sm:text-2xl" data-testid="your-role">{role}</dd>
      </div>
      <div className={`${cardClass} col-span-2 sm:col-span-1`}>
        <dt className="text-xs text-zinc-500 sm:text-sm dark:text-zinc-400">Members using MFA</dt>
        <dd className="mt-1 text-xl font-semibold sm:text-2xl" data-testid="mfa-count">
          {withMfa} <span className="text-sm font-normal text-zinc-500 sm:text-base dark:text-zinc-400">of {members}</span>
        </dd>
      </div>
    </dl>
  );
}
