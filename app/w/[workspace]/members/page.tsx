import Link from "next/link";
import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { listMembers } from "@/lib/members/list-members";
import { getPendingInvitations } from "@/lib/members/get-members-page";
import { memberQuerySchema } from "@/lib/members/schemas";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { MembersTable } from "@/components/members/members-table";
import { MemberFilters } from "@/components/members/member-filters";
import { InviteForm } from "@/components/members/invite-form";
import { PendingInvitations } from "@/components/members/pending-invitations";
import { LeaveWorkspace } from "@/components/members/leave-workspace";

export const metadata = { title: "Members" };

type Props = { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MembersPage({ params, searchParams }: Props) {
  const { session, membership } = await requireWorkspace((await params).workspace);
  const parsed = memberQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <>
        <PageHeader title="Members" description="Who is in this workspace and what each person may do." />
        <EmptyState title="This link has a search Warden cannot read">
          <span className="block">
            {String(issue?.path[0] ?? "search")}: {issue?.message}
          </span>
          <Link href={`/w/${membership.slug}/members`} className="mt-3 inline-block font-medium text-indigo-700 underline dark:text-indigo-400">
            Show all members
          </Link>
        </EmptyState>
      </>
    );
  }
  const query = parsed.data;
  const mayInvite = can(membership.role, "members.invite");
  const [{ rows, total, page }, invitations] = await Promise.all([listMembers(membership.workspaceId, query), mayInvite ? getPendingInvitations(membership.workspaceId) : null]);
  const viewer = {
    userId: session.user.id,
    role: membership.role,
    mayChangeRoles: can(membership.role, "members.update_role"),
    mayRemove: can(membership.role, "members.remove"),
    mayTransfer: can(membership.role, "workspace.transfer"),
  };
  return (
    <>
      <PageHeader title="Members" description="Who is in this workspace and what each person may do." />
      <div className="space-y-6">
        <div className="flex items-end justify-between gap-4">
          <MemberFilters />
          <Link href={`/w/${membership.slug}/members/roles`} className="text-sm font-medium text-indigo-600 underline dark:text-indigo-400">
            Who may do what
          </Link>
        </div>
        <MembersTable workspace={membership.slug} rows={rows} total={total} page={page} size={query.size} sort={query.sort} dir={query.dir} viewer={viewer} />
        {mayInvite ? <InviteForm workspace={membership.slug} viewerRole={membership.role} /> : null}
        {invitations ? <PendingInvitations workspace={membership.slug} invitations={invitations} /> : null}
        <LeaveWorkspace workspace={membership.slug} name={membership.name} />
      </div>
    </>
  );
}
