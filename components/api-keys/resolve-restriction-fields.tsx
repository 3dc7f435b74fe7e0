import { API_KEY_SECRET_NAMES_MAX } from "@/lib/api-keys/schemas";

const CONTROL = "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <div id={id} className="space-y-0.5 text-sm text-red-600 dark:text-red-400">
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  ) : null;
}

/**
 * Shown once secrets:resolve is ticked: what the key may resolve. Both optional;
 * the server checks the environment is this workspace's and every name follows the rule.
 */
export function ResolveRestrictionFields({ environments, errors }: { environments: { id: string; name: string }[]; errors: Record<string, string[] | undefined> }) {
  return (
    <fieldset className="max-w-md space-y-3 rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">What secrets:resolve may read</legend>
      <div className="space-y-1">
        <label htmlFor="field-environmentId" className="block text-sm font-medium">
          Environment
        </label>
        <select
          id="field-environmentId"
          name="environmentId"
          defaultValue=""
          aria-invalid={errors.environmentId?.length ? true : undefined}
          aria-describedby={errors.environmentId?.length ? "field-environmentId-error" : undefined}
          className={CONTROL}
        >
          <option value="">Any environment</option>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} only
            </option>
          ))}
        </select>
        <Errors id="field-environmentId-error" errors={errors.environmentId} />
      </div>
      <div className="space-y-1">
        <label htmlFor="field-secretNames" className="block text-sm font-medium">
          Secret names
        </label>
        <textarea
          id="field-secretNames"
          name="secretNames"
          rows={3}
          spellCheck={false}
          autoComplete="off"
          placeholder={"OPENAI_API_KEY\nSLACK_WEBHOOK_URL"}
          aria-invalid={errors.secretNames?.length ? true : undefined}
          aria-describedby={["field-secretNames-hint", errors.secretNames?.length ? "field-secretNames-error" : null].filter(Boolean).join(" ")}
          className={`${CONTROL} font-mono`}
        />
        <p id="field-secretNames-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
          One per line or separated by commas, up to {API_KEY_SECRET_NAMES_MAX}. Leave empty to allow any name.
        </p>
        <Errors id="field-secretNames-error" errors={errors.secretNames} />
      </div>
    </fieldset>
  );
}
