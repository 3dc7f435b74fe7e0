import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { CAPABILITIES, ROLES, can, type Capability } from "@/lib/authz/capabilities";
import { PageHeader } from "@/components/shell/page-header";
import { RoleRules } from "@/components/members/role-rules";

export const metadata = { title: "Roles" };

export default async function RolesPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  const capabilities = Object.keys(CAPABILITIES) as Capability[];
  return (
    <>
      <PageHeader title="Roles" description="What each role may do. The server enforces exactly this table on every action." />
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Capabilities by role</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
            <tr>
              <th scope="col" className="px-4 py-2">Capability</th>
              {ROLES.map((role) => <th key={role} scope="col" className="px-4 py-2 text-center">{role}</th>)}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {capabilities.map((capability) => (
              <tr key={capability}>
                <th scope="row" className="px-4 py-2 font-mono text-xs font-normal">{capability}</th>
                {ROLES.map((role) => (
                  <td key={role} className="px-4 py-2 text-center">
                    {can(role, capability) ? <span aria-label="allowed" className="text-emerald-600">✓</span> : <span aria-label="not allowed" className="text-zinc-300 dark:text-zinc-700">—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <RoleRules />
    </>
  );
}
