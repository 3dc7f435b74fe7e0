import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listSecrets, type SecretRow } from "./list-secrets";
import { listEnvironments, type EnvironmentRow } from "./list-environments";
import { countSecretsNeedingAttention, type SecretsAttention } from "./count-secrets-needing-attention";
import type { SecretListQuery } from "./secret-list-query";

export type SecretsPage = {
  rows: SecretRow[];
  total: number;
  page: number;
  environments: EnvironmentRow[];
  attention: SecretsAttention;
  /** The environment filter that applied: an unknown name in the link is ignored (null). */
  environment: string | null;
};

/** Everything the Secrets page shows, read in one transaction so the table, the counts and the environments agree. */
export function getSecretsPage(workspaceId: string, query: SecretListQuery): Promise<SecretsPage> {
  return withWorkspace(workspaceId, async (tx) => {
    const environments = await listEnvironments(tx, { workspaceId });
    const environment = environments.find((e) => e.name === query.env) ?? null;
    const list = await listSecrets(tx, { workspaceId, query, environmentId: environment?.id ?? null });
    const attention = await countSecretsNeedingAttention(tx, { workspaceId });
    return { ...list, environments, attention, environment: environment?.name ?? null };
  });
}
