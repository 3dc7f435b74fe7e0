import { withWorkspace } from "../../db/with-workspace";
import { previewWorkspaceRevocation } from "./revoke-workspace-sessions";

export function getRevocationPreview(workspaceId: string, exceptSessionId: string) {
  return withWorkspace(workspaceId, (tx) => previewWorkspaceRevocation(tx, workspaceId, exceptSessionId));
}
