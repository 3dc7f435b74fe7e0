import "server-only";
import { notFound, redirect } from "next/navigation";
import { getCurrentSession } from "../auth/current-session";
import { resolveMembership } from "./resolve-membership";
import { mfaPolicyGap } from "../mfa/step-up";

/** For workspace pages: the signed-in caller and their membership, else sign-in or 404. */
export async function requireWorkspace(slug: string) {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(`/w/${slug}`)}`);
  const membership = await resolveMembership(session.user.id, slug);
  if (!membership) notFound();
  // Until this session has passed the MFA the policy requires, enrollment (or a new sign-in with the code) is all it reaches.
  const gap = mfaPolicyGap(session, membership);
  if (gap === "enroll") redirect(`/account/security?required=${encodeURIComponent(membership.slug)}`);
  if (gap === "sign_in_again") redirect(`/sign-in?reason=mfa&next=${encodeURIComponent(`/w/${membership.slug}`)}`);
  return { session, membership };
}
