import type { ReactNode } from "react";
import { cardClass } from "./card";

/** One figure on a card: its label, and the value under a test id. */
export function StatCard({ label, testId, className = "", children }: { label: string; testId: string; className?: string; children: ReactNode }) {
  return (
    <div className={`${cardClass} ${className}`}>
      <dt className="text-xs text-zinc-500 sm:text-sm dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 truncate text-xl font-semibold sm:text-2xl" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
