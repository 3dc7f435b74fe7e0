import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listMembersLackingMfa } from "./list-members-lacking-mfa";

/** Who a policy would hold at enrollment, for the page's first render; the form asks again as the choice changes. */
export function previewMfaPolicy(workspaceId: string, policy: string) {
  return withWorkspace(workspaceId, (tx) => listMembersLackingMfa(tx, { workspaceId, policy }));
}
