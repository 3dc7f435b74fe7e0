"use client";

import { setModelPrice } from "@/lib/actions/pricing/set-model-price";
import type { ModelPriceRow } from "@/lib/pricing/list-model-prices";
import { Field } from "@/components/ui/field";
import { AgentFormDialog } from "./agent-form-dialog";

function PriceFields({ errors, values, model, fieldId }: { errors: Record<string, string[] | undefined>; values: Record<string, string>; model?: ModelPriceRow; fieldId: (name: string) => string }) {
  return (
    <>
      {model ? (
        <input type="hidden" name="model" value={model.model} />
      ) : (
        <Field label="Model" id={fieldId("model")} name="model" required defaultValue={values.model} errors={errors.model} autoComplete="off" spellCheck={false} placeholder="gpt-4o" />
      )}
      <Field
        label="Input, USD per million tokens"
        id={fieldId("inputPerMtok")}
        name="inputPerMtok"
        inputMode="decimal"
        required
        defaultValue={values.inputPerMtok ?? model?.inputPerMtok}
        errors={errors.inputPerMtok}
      />
      <Field
        label="Output, USD per million tokens"
        id={fieldId("outputPerMtok")}
        name="outputPerMtok"
        inputMode="decimal"
        required
        defaultValue={values.outputPerMtok ?? model?.outputPerMtok}
        errors={errors.outputPerMtok}
      />
      <Field
        label="Effective from"
        id={fieldId("effectiveFrom")}
        name="effectiveFrom"
        type="date"
        defaultValue={values.effectiveFrom}
        errors={errors.effectiveFrom}
        hint="Empty: today (UTC). Days before keep the earlier price."
      />
    </>
  );
}

export function ModelPricesSection({ workspace, prices, canEdit }: { workspace: string; prices: ModelPriceRow[]; canEdit: boolean }) {
  return (
    <section aria-labelledby="prices-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <h2 id="prices-heading" className="text-lg font-semibold">
          Model prices
        </h2>
        {canEdit ? (
          <AgentFormDialog trigger="Add a model" title="Price of a model" action={setModelPrice} submitLabel="Save price" hidden={{ workspace }}>
            {(errors, values, fieldId) => <PriceFields errors={errors} values={values} fieldId={fieldId} />}
          </AgentFormDialog>
        ) : null}
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Price per million tokens of each model</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
            <tr>
              {["Model", "Input / Mtok", "Output / Mtok", "Effective from", "Source"].map((h) => (
                <th key={h} scope="col" className="px-4 py-2">
                  {h}
                </th>
              ))}
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {prices.map((p) => (
              <tr key={`${p.model}-${p.effectiveFrom}`} data-testid="model-price-row">
                <td className="px-4 py-2 font-mono text-xs">{p.model}</td>
                <td className="px-4 py-2">${p.inputPerMtok}</td>
                <td className="px-4 py-2">${p.outputPerMtok}</td>
                <td className="px-4 py-2">
                  {p.effectiveFrom}
                  {p.upcoming ? <span className="ml-1 text-xs text-amber-700 dark:text-amber-400">(upcoming)</span> : null}
                </td>
                <td className="px-4 py-2 text-xs text-zinc-500">{p.source}</td>
                <td className="px-4 py-2 text-right">
                  {canEdit && !p.upcoming ? (
                    <AgentFormDialog trigger="Edit" title={`Price of ${p.model}`} action={setModelPrice} submitLabel="Save price" hidden={{ workspace }}>
                      {(errors, values, fieldId) => <PriceFields errors={errors} values={values} model={p} fieldId={fieldId} />}
                    </AgentFormDialog>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
