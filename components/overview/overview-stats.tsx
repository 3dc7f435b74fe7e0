import { StatCard } from "./stat-card";

/** The workspace in three numbers a person checks first. */
export function OverviewStats({ members, withMfa, role }: { members: number; withMfa: number; role: string }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4">
      <StatCard label="Members" testId="member-count">
        {members}
      </StatCard>
      <StatCard label="Your role" testId="your-role">
        <span className="capitalize">{role}</span>
      </StatCard>
      <StatCard label="Members using MFA" testId="mfa-count" className="col-span-2 sm:col-span-1">
        {withMfa} <span className="text-sm font-normal text-zinc-500 sm:text-base dark:text-zinc-400">of {members}</span>
      </StatCard>
    </dl>
  );
}
