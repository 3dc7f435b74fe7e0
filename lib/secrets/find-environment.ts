import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";

/** An environment of this workspace (RLS hides any other), or a refusal naming the field. */
export async function findEnvironment(tx: Tx, workspaceId: string, environmentId: string) {
  const environment = await tx.environment.findFirst({ where: { id: environmentId, workspaceId }, select: { id: true, name: true } });
  if (!environment) throw new AppError("invalid_input", "Choose one of this workspace's environments.", { environmentId: ["Choose one of this workspace's environments"] });
  return environment;
}
