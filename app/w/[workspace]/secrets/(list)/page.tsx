import Link from "next/link";
import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { getSecretsPage } from "@/lib/secrets/get-secrets-page";
import { parseSecretListQuery } from "@/lib/secrets/secret-list-query";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { SecretsTable } from "@/components/secrets/secrets-table";
import { SecretFilters } from "@/components/secrets/secret-filters";
import { CreateSecretDialog } from "@/components/secrets/create-secret-dialog";
import { EnvironmentsDialog } from "@/components/secrets/environments-dialog";
import { SecretNotice } from "@/components/secrets/secret-notice";

export const metadata = { title: "Secrets" };

type Props = { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export default async function SecretsPage({ params, searchParams }: Props) {
  const { membership } = await requireWorkspace((await params).workspace);
  const header = <PageHeader title="Secrets" description="Credentials your agents reference by name, resolved at run time. Values are encrypted and never shown here." />;
  if (!can(membership.role, "secrets.read_metadata")) {
    return (
      <>
        {header}
        <EmptyState title="Owners, admins and developers see secrets">Ask an owner or admin of this workspace if an agent needs a credential.</EmptyState>
      </>
    );
  }

  // Every parameter falls back to its default when it makes no sense: a link never fails the page.
  const query = parseSecretListQuery(await searchParams);
  const data = await getSecretsPage(membership.workspaceId, query);
  const base = `/w/${membership.slug}/secrets`;
  const filtered = Boolean(query.q || data.environment || (query.view === "live" && query.status));
  const mayWrite = can(membership.role, "secrets.write");
  const attention = data.attention.expired + data.attention.rotationDue;

  return (
    <>
      {header}
      <div className="space-y-4">
        {attention > 0 ? (
          <div
            role="status"
            data-testid="secrets-attention"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            {plural(attention, "secret needs", "secrets need")} attention:{" "}
            {data.attention.expired > 0 ? (
              <Link href={`${base}?status=expired`} className="font-medium underline">
                {data.attention.expired} expired
              </Link>
            ) : null}
            {data.attention.expired > 0 && data.attention.rotationDue > 0 ? ", " : null}
            {data.attention.rotationDue > 0 ? (
              <Link href={`${base}?status=rotation_due`} className="font-medium underline">
                {plural(data.attention.rotationDue, "is", "are")} due for rotation
              </Link>
            ) : null}
            .
          </div>
        ) : null}
        <div className="flex flex-wrap items-end justify-between gap-4">
          <SecretFilters environments={data.environments.map((e) => e.name)} environment={data.environment} status={query.view === "live" ? (query.status ?? null) : null} view={query.view} />
          <div className="flex flex-wrap items-center gap-2">
            {can(membership.role, "environments.manage") ? <EnvironmentsDialog workspace={membership.slug} environments={data.environments} /> : null}
            {mayWrite ? <CreateSecretDialog workspace={membership.slug} environments={data.environments} defaultEnvironment={data.environment} /> : null}
          </div>
        </div>
        {/* Outside the table: the last secret deleted leaves the empty state, and the notice must stay. */}
        <SecretNotice />
        {data.total === 0 && !filtered && query.view === "live" ? (
          <EmptyState title="No secrets yet">
            {mayWrite
              ? "Add a credential with New secret: agents then reference it by name, and the runtime resolves it with an API key at the moment of the call."
              : "An owner, admin or developer can add secrets; agents then reference them by name."}
          </EmptyState>
        ) : (
          <SecretsTable
            workspace={membership.slug}
            view={query.view}
            rows={data.rows}
            total={data.total}
            page={data.page}
            size={query.size}
            sort={query.sort}
            dir={query.dir}
            filtered={filtered}
            mayDelete={can(membership.role, "secrets.delete")}
          />
        )}
      </div>
    </>
  );
}
