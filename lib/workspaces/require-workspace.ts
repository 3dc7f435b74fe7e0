import "server-only";
import { notFound, redirect } from "next/navigation";
import { getCurrentSession } from "../auth/current-session";
import { resolveMembership } from "./resolve-membership";
import { mfaRequiredFor } from "../mfa/mfa-policy";

/** For workspace pages: the signed-in caller and their membership, else sign-in or 404. */
export async function requireWorkspace(slug: string) {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(`/w/${slug}`)}`);
  const membership = await resolveMembership(session.user.id, slug);
  if (!membership) notFound();
  // Until a member the policy obliges to use MFA has enrolled, enrollment is all they reach here.
  if (mfaRequiredFor(membership.policy.mfa, membership.role) && !session.user.mfaEnabled) {
    redirect(`/account/security?required=${encodeURIComponent(membership.slug)}`);
  }
  return { session, membership };
}
