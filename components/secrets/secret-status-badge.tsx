import type { RotationStatus } from "@/lib/secrets/secret-status";

const BADGES: Record<RotationStatus, { text: string; className: string }> = {
  ok: { text: "OK", className: "border-zinc-300 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" },
  rotation_due: { text: "Rotation due", className: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" },
  expired: { text: "Expired", className: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" },
};

/** The rotation status in words (never by colour alone). */
export function SecretStatusBadge({ status }: { status: RotationStatus }) {
  const badge = BADGES[status];
  return (
    <span data-testid="secret-status" className={`inline-block whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${badge.className}`}>
      {badge.text}
    </span>
  );
}
