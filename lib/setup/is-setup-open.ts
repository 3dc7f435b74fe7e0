import { withSystem } from "../db/system";

/** /setup exists only until the first user does. */
export async function isSetupOpen(): Promise<boolean> {
  return withSystem(async (tx) => (await tx.user.count({ take: 1 })) === 0);
}
