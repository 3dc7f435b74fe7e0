import type { ModelSpend } from "@/lib/usage/list-spend-by-model";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * Spend per model, largest first. Each row's bar is a native <meter> against the
 * largest model's spend: no inline style, which the CSP would refuse.
 */
export function SpendByModel({ models }: { models: ModelSpend[] }) {
  if (models.length === 0) {
    return (
      <div data-testid="usage-by-model">
        <EmptyState title="No model spend yet">Settled LLM calls appear here by model.</EmptyState>
      </div>
    );
  }
  const max = Math.max(1, ...models.map((m) => m.spentMicros));
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm" data-testid="usage-by-model">
        <caption className="sr-only">Spend by model over the last 30 days, largest first</caption>
        <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
          <tr>
            <th scope="col" className="px-4 py-2">
              Model
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Spend
            </th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">Share</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {models.map((m) => (
            <tr key={m.model} data-testid="usage-by-model-row">
              <th scope="row" className="px-4 py-2 font-medium">
                {m.model}
              </th>
              <td className="px-4 py-2 text-right tabular-nums">${m.spent}</td>
              <td className="w-1/3 px-4 py-2">
                <meter className="block h-2 w-full" min={0} max={max} value={m.spentMicros} aria-hidden="true" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
