import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getCurrentSession } from "../auth/current-session";
import { resolveMembership } from "./resolve-membership";
import { mfaPolicyGap } from "../mfa/step-up";
import { REQUEST_PATH_HEADER } from "../http/header-names";
import { safeReturnPath } from "../security/safe-return-path";

/**
 * The page of this workspace the person opened (middleware records the path), so
 * enrollment or a new sign-in can bring them back to it. Anything that is not a
 * safe path inside this workspace becomes the workspace's overview.
 */
async function openedPath(slug: string): Promise<string> {
  const home = `/w/${slug}`;
  const raw = (await headers()).get(REQUEST_PATH_HEADER);
  if (!raw) return home;
  // The client router's cache-busting parameter belongs to the request, not the page.
  let candidate: string;
  try {
    const url = new URL(raw, "http://warden.invalid");
    url.searchParams.delete("_rsc");
    candidate = url.pathname + url.search;
  } catch {
    return home;
  }
  const path = safeReturnPath(candidate, home);
  return path === home || path.startsWith(`${home}/`) || path.startsWith(`${home}?`) ? path : home;
}

/** For workspace pages: the signed-in caller and their membership, else sign-in or 404. */
export async function requireWorkspace(slug: string) {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(`/w/${slug}`)}`);
  const membership = await resolveMembership(session.user.id, slug);
  if (!membership) notFound();
  // Until this session has passed the MFA the policy requires, enrollment (or a new sign-in with the code) is all it reaches.
  const gap = mfaPolicyGap(session, membership);
  if (gap === "enroll") {
    const next = await openedPath(membership.slug);
    redirect(`/account/security?required=${encodeURIComponent(membership.slug)}&next=${encodeURIComponent(next)}`);
  }
  if (gap === "sign_in_again") redirect(`/sign-in?reason=mfa&next=${encodeURIComponent(await openedPath(membership.slug))}`);
  return { session, membership };
}
