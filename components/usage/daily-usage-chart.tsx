"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyUsage } from "@/lib/usage/list-daily-usage";
import { useMounted } from "./use-mounted";

const shortDay = (day: string) => day.slice(5);

/**
 * Spend (bars, dollars) and conversations (line) per day of the window. Drawn
 * once mounted (see useMounted); the same figures are in a table under it.
 */
export function DailyUsageChart({ days }: { days: DailyUsage[] }) {
  const mounted = useMounted();
  const data = days.map((d) => ({ day: d.day, spend: d.spentMicros / 1_000_000, spent: d.spent, conversations: d.conversations }));
  return (
    <div className="space-y-2">
      <div className="h-64 w-full" data-testid="usage-daily-chart" aria-hidden="true">
        {mounted ? (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" stroke="#a1a1aa" strokeOpacity={0.3} vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 11 }} minTickGap={16} />
              <YAxis yAxisId="spend" tickFormatter={(v: number) => `$${v}`} tick={{ fontSize: 11 }} width={56} />
              <YAxis yAxisId="conversations" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
              <Tooltip formatter={(value, name, item) => (name === "Spend" ? `$${(item.payload as { spent: string }).spent}` : String(value))} isAnimationActive={false} />
              <Legend />
              <Bar yAxisId="spend" dataKey="spend" name="Spend" fill="#6366f1" isAnimationActive={false} />
              <Line yAxisId="conversations" dataKey="conversations" name="Conversations" stroke="#059669" strokeWidth={2} dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        ) : (
          <div className="flex h-full items-center justify-center rounded-md bg-zinc-50 text-sm text-zinc-500 dark:bg-zinc-900">Loading chart…</div>
        )}
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Show as table</summary>
        <div className="mt-2 max-h-80 overflow-y-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" data-testid="usage-daily-table">
            <caption className="sr-only">Spend and conversations per day</caption>
            <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="px-4 py-1">
                  Day
                </th>
                <th scope="col" className="px-4 py-1 text-right">
                  Spend
                </th>
                <th scope="col" className="px-4 py-1 text-right">
                  Conversations
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row" className="px-4 py-1 font-normal">
                    {d.day}
                  </th>
                  <td className="px-4 py-1 text-right tabular-nums">${d.spent}</td>
                  <td className="px-4 py-1 text-right tabular-nums">{d.conversations}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
