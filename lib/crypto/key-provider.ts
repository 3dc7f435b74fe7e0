import { getConfig } from "../config";
import { decrypt, DecryptionError, encrypt, keyIdOf, keyringFrom, type Keyring } from "./envelope";

/**
 * What wraps the workspaces' data keys. The environment's WARDEN_MASTER_KEY is the
 * one implementation today; a KMS (AWS KMS, GCP KMS, Vault Transit) is another
 * class with the same three members. Each wrapped key names the fingerprint of the
 * key that wrapped it, so data keys wrapped by the environment key and by a KMS
 * can coexist while `npm run keys:rotate` moves them over: no value is re-sealed.
 */
export interface KeyProvider {
  /** What kind of provider this is ("environment", later e.g. "aws-kms"): recorded beside each fingerprint in key_history. */
  readonly name: string;
  /** The fingerprint new data keys are wrapped under. */
  readonly fingerprint: string;
  /** Every fingerprint this provider can unwrap (the current one and the previous ones). */
  readonly fingerprints: readonly string[];
  wrap(dataKey: Buffer, context: string): Promise<string>;
  /** Throws UnknownWrappingKeyError when the wrapping key is not held, DecryptionError when the wrapped key was tampered with. */
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

export class UnknownWrappingKeyError extends Error {
  constructor(readonly fingerprint: string) {
    super(`A data key is wrapped under master key ${fingerprint}, which is not configured`);
    this.name = "UnknownWrappingKeyError";
  }
}

/** The fingerprint a wrapped key names. */
export const fingerprintOfWrapped = (wrapped: string) => keyIdOf(wrapped);

/** WARDEN_MASTER_KEY (wraps) and WARDEN_PREVIOUS_MASTER_KEYS (unwrap only), AES-256-GCM with the context as associated data. */
export class EnvironmentKeyProvider implements KeyProvider {
  readonly name = "environment";
  readonly fingerprint: string;
  readonly fingerprints: readonly string[];

  constructor(private readonly keyring: Keyring) {
    this.fingerprint = keyring.current.id;
    this.fingerprints = [...keyring.all.keys()];
  }

  async wrap(dataKey: Buffer, context: string): Promise<string> {
    return encrypt(dataKey.toString("base64"), context, this.keyring);
  }

  async unwrap(wrapped: string, context: string): Promise<Buffer> {
    const fingerprint = fingerprintOfWrapped(wrapped);
    if (!this.keyring.all.has(fingerprint)) throw new UnknownWrappingKeyError(fingerprint);
    const key = Buffer.from(decrypt(wrapped, context, this.keyring), "base64");
    if (key.length !== 32) throw new DecryptionError();
    return key;
  }
}

export function keyProviderFrom(masterKey: string, previous: string[] = []): KeyProvider {
  return new EnvironmentKeyProvider(keyringFrom(masterKey, previous));
}

let configured: KeyProvider | undefined;
export function configuredKeyProvider(): KeyProvider {
  if (!configured) {
    const config = getConfig();
    if (!config.WARDEN_MASTER_KEY) throw new Error("WARDEN_MASTER_KEY is not set");
    const previous = (config.WARDEN_PREVIOUS_MASTER_KEYS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    configured = keyProviderFrom(config.WARDEN_MASTER_KEY, previous);
  }
  return configured;
}
