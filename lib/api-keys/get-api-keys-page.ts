import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listApiKeys } from "./list-api-keys";

export function getApiKeysPage(workspaceId: string) {
  return withWorkspace(workspaceId, (tx) => listApiKeys(tx, workspaceId));
}
