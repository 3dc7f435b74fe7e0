import { CAPABILITIES, type Capability } from "@/lib/authz/capabilities";

// The rules between roles that a capability table cannot show, in words. Role
// lists come from the one table, so the sentences change with it. Enforced in
// lib/members/role-rules.ts and lib/api-keys/revoke-rules.ts.

/** "owners and admins", "owners, admins and developers". */
function holders(capability: Capability): string {
  const plural = CAPABILITIES[capability].map((role) => `${role}s`);
  return plural.length > 1 ? `${plural.slice(0, -1).join(", ")} and ${plural.at(-1)}` : plural.join("");
}

const code = (text: string) => <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">{text}</code>;

export function RoleRules() {
  return (
    <section aria-labelledby="role-rules-heading" className="mt-6 space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
      <h2 id="role-rules-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
        Rules between roles
      </h2>
      <ul className="list-disc space-y-1 pl-5" data-testid="role-rules">
        <li>Nobody grants a role above their own.</li>
        <li>Admins cannot change, remove or unlock owners.</li>
        <li>Nobody unlocks a person who holds a role above theirs in any workspace: a sign-in lock covers the whole account, not one workspace.</li>
        <li>The last owner cannot be demoted, removed or leave.</li>
        <li>Members who manage API keys ({holders("api_keys.manage")}) revoke their own keys.</li>
        <li>
          Revoking another person&apos;s API key needs {code("api_keys.revoke_any")} ({holders("api_keys.revoke_any")}), a role that can grant every scope on the key, and a role not below its
          creator&apos;s.
        </li>
      </ul>
    </section>
  );
}
