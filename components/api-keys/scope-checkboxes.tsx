import { can } from "@/lib/authz/capabilities";
import { API_KEY_SCOPES, API_KEY_SCOPE_NAMES } from "@/lib/api-keys/scopes";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * One checkbox per scope in the scope table. Scopes the viewer's role could not
 * grant are shown disabled, as a convenience: the server refuses them anyway.
 */
export function ScopeCheckboxes({ viewerRole, errors, onToggle }: { viewerRole: Role; errors?: string[]; onToggle?: (scope: string, checked: boolean) => void }) {
  return (
    <fieldset className="space-y-2" aria-describedby={errors?.length ? "field-scopes-error" : undefined}>
      <legend className="text-sm font-medium">Scopes</legend>
      <ul className="space-y-2">
        {API_KEY_SCOPE_NAMES.map((scope) => {
          const { capability, label, description } = API_KEY_SCOPES[scope];
          const grantable = can(viewerRole, capability);
          const id = `scope-${scope.replace(/[^a-z0-9]/gi, "-")}`;
          return (
            <li key={scope} className="flex items-start gap-2 text-sm">
              <input
                id={id}
                type="checkbox"
                name="scopes"
                value={scope}
                disabled={!grantable}
                onChange={onToggle ? (event) => onToggle(scope, event.currentTarget.checked) : undefined}
                aria-describedby={`${id}-description`}
                aria-invalid={errors?.length ? true : undefined}
                className="mt-0.5 size-4 rounded border-zinc-300 dark:border-zinc-700"
              />
              <span>
                <label htmlFor={id} className="font-mono font-medium">
                  {scope}
                </label>
                <span id={`${id}-description`} className="block text-zinc-600 dark:text-zinc-400">
                  {label} ({description}){grantable ? null : ` · needs ${capability}, which your role (${viewerRole}) does not have`}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      {API_KEY_SCOPE_NAMES.some((scope) => can(viewerRole, API_KEY_SCOPES[scope].capability)) ? null : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Your role ({viewerRole}) cannot grant any of these scopes, so it cannot create a key yet. You can still revoke keys.</p>
      )}
      {errors?.length ? (
        <div id="field-scopes-error" className="space-y-1 text-sm text-red-600 dark:text-red-400">
          {errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
