// Signing and checking the records a device key signs with Ed25519 alone (device records, office epochs, closures,
// grants): short-lived, and re-signed whenever they change; hybrid signatures are for the long-lived certificates.
import { HybridLengths } from '../crypto/hybrid-signature.ts';
import { checkLength } from '../crypto/checks.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { bytesToVerify, checkedBody, type RecordSpec } from './record.ts';

export const ED25519_PUBLIC_LENGTH = HybridLengths.ed25519Public;
export const ED25519_SIGNATURE_LENGTH = HybridLengths.ed25519Signature;

/** Checks the body, then signs its labelled bytes with a 32-byte Ed25519 seed; returns the clean body and signature. */
export async function signEd25519Record<B>(
  p: CryptoProvider,
  spec: RecordSpec<B>,
  body: B,
  seed: Uint8Array,
): Promise<{ readonly body: B; readonly signature: Uint8Array }> {
  checkLength('Ed25519 seed', seed, HybridLengths.ed25519Seed);
  const checked = checkedBody(spec, body);
  return { body: checked.body, signature: await p.ed25519Sign(seed, checked.message) };
}

/** Throws `verify.bad_signature` unless `signature` is `publicKey`'s Ed25519 signature over the body's labelled bytes. */
export async function verifyEd25519Record<B>(
  p: CryptoProvider,
  spec: RecordSpec<B>,
  body: B,
  signature: Uint8Array,
  publicKey: Uint8Array,
): Promise<void> {
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) throw new TypeError('signature and key must be Uint8Arrays');
  if (!(await p.ed25519Verify(publicKey, bytesToVerify(spec, body), signature))) {
    throw new VerificationError('verify.bad_signature', `${spec.what}: signature does not verify`);
  }
}
