import Link from "next/link";
import { notFound } from "next/navigation";
import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can, CAPABILITIES } from "@/lib/authz/capabilities";
import { uuidId } from "@/lib/validation/safe-input";
import { getSecretDetail } from "@/lib/secrets/get-secret-detail";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { SecretMetadata } from "@/components/secrets/secret-metadata";
import { SecretValue } from "@/components/secrets/secret-value";
import { SecretEditForm } from "@/components/secrets/secret-edit-form";
import { SecretVersionHistory } from "@/components/secrets/secret-version-history";

export const metadata = { title: "Secret" };

const READERS = CAPABILITIES["secrets.read_metadata"].join(", ").replace(/, ([^,]+)$/, " or $1");

// Metadata only: the value is never loaded here (nor in this page's payload); the
// reveal control fetches it by its own request when an owner asks for it.
export default async function SecretPage({ params }: { params: Promise<{ workspace: string; secret: string }> }) {
  const { workspace, secret: secretId } = await params;
  const { session, membership } = await requireWorkspace(workspace);
  const back = (
    <Link href={`/w/${membership.slug}/secrets`} className="text-sm font-medium text-indigo-700 underline dark:text-indigo-400">
      ← All secrets
    </Link>
  );
  if (!can(membership.role, "secrets.read_metadata")) {
    return (
      <>
        <PageHeader title="Secret" />
        <EmptyState title="Your role does not see secrets">Secrets are seen by members whose role is {READERS}.</EmptyState>
      </>
    );
  }
  // Anything but a UUID is no secret of this workspace: not found, never a database error;
  // a missing, deleted or other workspace's secret looks the same.
  if (!uuidId("").safeParse(secretId).success) notFound();
  const secret = await getSecretDetail(membership.workspaceId, secretId);
  if (!secret) notFound();
  const live = secret.versions.filter((v) => !v.destroyedAt).map((v) => v.version);

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        {back}
        <PageHeader title={secret.name} description={secret.description || undefined} />
      </div>
      <SecretMetadata secret={secret} />
      <SecretValue
        workspace={membership.slug}
        secretId={secret.id}
        currentVersion={secret.currentVersion}
        liveVersions={live}
        canReveal={can(membership.role, "secrets.reveal")}
        mfaEnabled={session.user.mfaEnabled}
      />
      {can(membership.role, "secrets.write") ? <SecretEditForm workspace={membership.slug} secret={secret} /> : null}
      <SecretVersionHistory
        workspace={membership.slug}
        secretId={secret.id}
        name={secret.name}
        currentVersion={secret.currentVersion}
        versions={secret.versions}
        canRollback={can(membership.role, "secrets.write")}
        canDestroy={can(membership.role, "secrets.delete")}
      />
    </div>
  );
}
