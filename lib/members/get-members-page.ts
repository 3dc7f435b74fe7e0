import { withWorkspace } from "../db/with-workspace";
import { listInvitations } from "./list-invitations";

export function getPendingInvitations(workspaceId: string) {
  return withWorkspace(workspaceId, (tx) => listInvitations(tx, workspaceId));
}
