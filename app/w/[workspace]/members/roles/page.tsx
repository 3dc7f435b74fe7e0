import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { CAPABILITIES, ROLES, can, type Capability } from "@/lib/authz/capabilities";
import { describeCapability } from "@/lib/authz/capability-descriptions";
import { PageHeader } from "@/components/shell/page-header";
import { RoleRules } from "@/components/members/role-rules";

export const metadata = { title: "Roles" };

export default async function RolesPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  const capabilities = Object.keys(CAPABILITIES) as Capability[];
  // What the console does today first; what the table already grants for features still to come after, marked.
  const groups = [
    { title: "In use now", rows: capabilities.filter((c) => !describeCapability(c).pending) },
    { title: "For features not yet enabled", rows: capabilities.filter((c) => describeCapability(c).pending) },
  ];
  return (
    <>
      <PageHeader title="Roles" description="What each role may do. The server enforces exactly this table on every action." />
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Capabilities by role</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-2">
                Capability
              </th>
              {ROLES.map((role) => (
                <th key={role} scope="col" className="px-3 py-2 text-center">
                  {role}
                </th>
              ))}
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.title} className="divide-y divide-zinc-200 border-t border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              <tr className="bg-zinc-50 dark:bg-zinc-950">
                <th scope="colgroup" colSpan={ROLES.length + 1} className="px-4 py-1.5 text-xs font-semibold text-zinc-600 dark:text-zinc-400">
                  {group.title}
                </th>
              </tr>
              {group.rows.map((capability) => {
                const { label, pending } = describeCapability(capability);
                return (
                  <tr key={capability} data-testid={`capability-${capability}`} className={pending ? "text-zinc-500 dark:text-zinc-400" : undefined}>
                    <th scope="row" className="min-w-[14rem] px-4 py-2 font-normal">
                      <span className="block font-medium text-zinc-900 dark:text-zinc-100">{label}</span>
                      <span className="flex flex-wrap items-center gap-2">
                        <code className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{capability}</code>
                        {pending ? <span className="whitespace-nowrap rounded-full border border-zinc-300 px-2 text-xs dark:border-zinc-700">Not yet enabled: {pending}</span> : null}
                      </span>
                    </th>
                    {ROLES.map((role) => (
                      <td key={role} className="px-3 py-2 text-center">
                        {can(role, capability) ? (
                          <span aria-label="allowed" className={pending ? "text-zinc-400" : "text-emerald-600"}>
                            ✓
                          </span>
                        ) : (
                          <span aria-label="not allowed" className="text-zinc-300 dark:text-zinc-700">
                            —
                          </span>
                        )}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Capabilities marked “not yet enabled” belong to features Warden does not offer yet; the roles that will hold them are fixed now.</p>
      <RoleRules />
    </>
  );
}
