import type { TrendDay } from "@/lib/usage/list-agent-trends";

const WIDTH = 7;
const GAP = 2;
const HEIGHT = 24;

/**
 * Seven tiny bars, one per day of the agent's last week (today last). Heights are
 * SVG attributes, not styles, so the server can render them under the CSP; the
 * figures are in the label for anyone who cannot see the bars.
 */
export function AgentTrend({ agentId, name, days }: { agentId: string; name: string; days: TrendDay[] }) {
  const max = Math.max(0, ...days.map((d) => d.spentMicros));
  const label = `${name}, spend over the last ${days.length} days: ${days.map((d) => `${d.day} $${d.spent}`).join("; ")}`;
  return (
    <svg
      data-testid={`agent-trend-${agentId}`}
      role="img"
      aria-label={label}
      width={days.length * (WIDTH + GAP)}
      height={HEIGHT}
      viewBox={`0 0 ${days.length * (WIDTH + GAP)} ${HEIGHT}`}
      className="text-indigo-500 dark:text-indigo-400"
    >
      <title>{label}</title>
      {days.map((d, i) => {
        // A day with any spend shows at least a sliver; an empty day a baseline.
        const height = max === 0 || d.spentMicros === 0 ? 1 : Math.max(2, Math.round((d.spentMicros / max) * HEIGHT));
        return <rect key={d.day} x={i * (WIDTH + GAP)} y={HEIGHT - height} width={WIDTH} height={height} rx={1} fill="currentColor" opacity={d.spentMicros === 0 ? 0.3 : 1} />;
      })}
    </svg>
  );
}
