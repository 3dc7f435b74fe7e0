import "server-only";
import { notFound, redirect } from "next/navigation";
import { getCurrentSession } from "../auth/current-session";
import { resolveMembership } from "./resolve-membership";

/** For workspace pages: the signed-in caller and their membership, else sign-in or 404. */
export async function requireWorkspace(slug: string) {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(`/w/${slug}`)}`);
  const membership = await resolveMembership(session.user.id, slug);
  if (!membership) notFound();
  return { session, membership };
}
