import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can, CAPABILITIES } from "@/lib/authz/capabilities";
import { z } from "zod";
import { API_KEYS_PAGE_SIZE, getApiKeysPage } from "@/lib/api-keys/get-api-keys-page";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { ApiKeyList } from "@/components/api-keys/api-key-list";

export const metadata = { title: "API keys" };

const MANAGERS = CAPABILITIES["api_keys.manage"].join(", ").replace(/, ([^,]+)$/, " or $1");
const DESCRIPTION = "Keys let scripts and services call the Warden API for this workspace, each with only the scopes it is given.";

// A page number that is not one (or is past the last page) shows the nearest page rather than an error.
const pageSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1);

type Props = { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ApiKeysPage({ params, searchParams }: Props) {
  const { session, membership } = await requireWorkspace((await params).workspace);
  if (!can(membership.role, "api_keys.manage")) {
    return (
      <>
        <PageHeader title="API keys" description={DESCRIPTION} />
        <EmptyState title="Your role does not manage API keys">Keys are created and revoked by members whose role is {MANAGERS}. Ask one of them if you need a key.</EmptyState>
      </>
    );
  }
  const { page } = await searchParams;
  const {
    keys,
    total,
    page: shown,
    agents,
    environments,
  } = await getApiKeysPage(membership.workspaceId, { id: session.user.id, role: membership.role }, pageSchema.parse(Array.isArray(page) ? undefined : page));
  return (
    <>
      <PageHeader title="API keys" description={DESCRIPTION} />
      <div className="space-y-8">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Send a key as <code className="rounded bg-zinc-100 px-1 dark:bg-zinc-800">Authorization: Bearer wdn_live_…</code>. Every route, parameter and error is described in the{" "}
          <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 underline dark:text-indigo-400">
            OpenAPI document
          </a>
          .
        </p>
        <CreateApiKeyForm workspace={membership.slug} viewerRole={membership.role} environments={environments} agents={agents} />
        <ApiKeyList workspace={membership.slug} keys={keys} paging={{ total, page: shown, size: API_KEYS_PAGE_SIZE }} />
      </div>
    </>
  );
}
