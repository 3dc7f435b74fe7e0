import "server-only";
import type { Tx } from "../db/with-workspace";
import { dataKeyForOpening, dataKeyForSealing } from "./data-keys";
import { openValue, sealValue } from "./secret-cipher";

/** Seals a value as a new immutable version of a secret, in the caller's transaction. */
export async function writeSecretVersion(
  tx: Tx,
  options: { workspaceId: string; secretId: string; version: number; value: string; createdById: string | null; rolledBackFrom?: number },
): Promise<void> {
  const { workspaceId, secretId, version } = options;
  const dataKey = await dataKeyForSealing(tx, workspaceId);
  const ciphertext = sealValue(options.value, dataKey.key, { workspaceId, secretId, version });
  await tx.secretVersion.create({
    data: { workspaceId, secretId, version, ciphertext, dataKeyId: dataKey.id, createdById: options.createdById, rolledBackFrom: options.rolledBackFrom ?? null },
  });
}

/** A version's value, or null when it was destroyed or does not exist. */
export async function readSecretVersion(tx: Tx, options: { workspaceId: string; secretId: string; version: number }): Promise<string | null> {
  const { workspaceId, secretId, version } = options;
  const row = await tx.secretVersion.findFirst({
    where: { workspaceId, secretId, version },
    select: { ciphertext: true, dataKeyId: true },
  });
  if (!row?.ciphertext) return null;
  const key = await dataKeyForOpening(tx, workspaceId, row.dataKeyId);
  return openValue(row.ciphertext, key, { workspaceId, secretId, version });
}
