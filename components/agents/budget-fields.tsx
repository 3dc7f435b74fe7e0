import { Field } from "@/components/ui/field";

const SELECT = "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

export type BudgetDefaults = { dailyCap?: string; timeZone?: string; alertThresholds?: string; unpricedPolicy?: string };

/** Cap, zone, thresholds and unpriced policy: the same fields on create and on a budget change. */
export function BudgetFields({
  errors,
  defaults,
  zonePlaceholder,
  fieldId,
}: {
  errors: Record<string, string[] | undefined>;
  defaults: BudgetDefaults;
  zonePlaceholder?: string;
  fieldId: (name: string) => string;
}) {
  return (
    <>
      <Field
        label="Daily cap (USD)"
        id={fieldId("dailyCap")}
        name="dailyCap"
        inputMode="decimal"
        required
        defaultValue={defaults.dailyCap}
        placeholder="12.50"
        errors={errors.dailyCap}
        hint="Up to 6 decimals. Spend plus open holds never goes above it in a day."
      />
      <Field
        label="Time zone of the day"
        id={fieldId("timeZone")}
        name="timeZone"
        defaultValue={defaults.timeZone}
        placeholder={zonePlaceholder}
        errors={errors.timeZone}
        hint="An IANA zone such as Europe/Paris; the day starts at its midnight."
        autoComplete="off"
        spellCheck={false}
      />
      <Field
        label="Alert thresholds (%)"
        id={fieldId("alertThresholds")}
        name="alertThresholds"
        defaultValue={defaults.alertThresholds}
        placeholder="50, 80, 100"
        errors={errors.alertThresholds}
        hint="Up to five percentages of the cap, 1 to 100."
      />
      <div className="space-y-1">
        <label htmlFor={fieldId("unpricedPolicy")} className="block text-sm font-medium">
          A model without a price
        </label>
        <select
          id={fieldId("unpricedPolicy")}
          name="unpricedPolicy"
          defaultValue={defaults.unpricedPolicy ?? "deny"}
          className={SELECT}
          aria-invalid={errors.unpricedPolicy?.length ? true : undefined}
        >
          <option value="deny">Refuse the call (recommended)</option>
          <option value="allow">Allow it, charged at its estimate</option>
        </select>
        {errors.unpricedPolicy?.length ? <p className="text-sm text-red-600 dark:text-red-400">{errors.unpricedPolicy[0]}</p> : null}
      </div>
    </>
  );
}
