// Walks an office epoch (or its closure) to a pinned root: the record is signed by the device key of a security
// officer whose certificate the root signed, for the same organisation, scoped to the epoch's node and valid at the
// verifier's time (docs/keys.md "Walking a chain"). Senders wrap only to epochs that pass this.
import type { NodeName, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { verifyEpochClosure, type EpochClosure } from './epoch-closure.ts';
import { keyHash, verifyOfficeEpoch, type OfficeEpoch } from './office-epoch.ts';
import { verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from './officer-certificate.ts';
import type { PinnedRoot } from './organisation-root.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

export interface EpochChainInput {
  readonly epoch: OfficeEpoch;
  /** The certificate of the officer named by `epoch.certifiedBy`. */
  readonly officerCert: OfficerCertificate;
  readonly root: PinnedRoot;
  /** The verifier's time: the officer's certificate must be valid then. */
  readonly at: UnixMillis;
  /** Checks `officerCert` against `root` at `at`; default `verifyOfficerCertificate` (see `DeviceChainInput`). */
  readonly verifyOfficer?: OfficerVerifier;
}

/** An epoch whose chain reached a pinned root, with the hash the recipient manifest carries. */
export type VerifiedEpoch = Verified<{
  readonly epoch: OfficeEpoch;
  readonly officer: VerifiedOfficer;
  readonly keyHash: Uint8Array;
}>;

/**
 * Throws `verify.untrusted_key` unless `officer` is the certificate of `user` acting for `node`. Shared by every
 * record an officer signs.
 */
export function checkOfficerActsFor(what: string, officer: VerifiedOfficer, user: UserId, node: NodeName): void {
  if (officer.user !== user) throw new VerificationError('verify.untrusted_key', `${what}: signer is not the officer it names`);
  if (officer.scope !== node) throw new VerificationError('verify.untrusted_key', `${what}: officer is not an officer of this node`);
}

/**
 * Verifies an office epoch's chain: the officer certificate against the root at `at` (organisation, root signature,
 * validity), the officer named and scoped correctly, then the officer's signature on the epoch. Throws
 * `VerificationError` with `verify.untrusted_key`, `verify.bad_signature` or `verify.record_invalid`.
 *
 * The caller still checks that the epoch is the one it wanted (office, level, node hosting the office) and that no
 * verified closure names it (`closes`).
 *
 * @example
 * ```ts
 * const { epoch, keyHash } = await verifyEpochChain(p, { epoch: record, officerCert, root: anchor, at: Date.now() });
 * ```
 */
export async function verifyEpochChain(p: CryptoProvider, input: EpochChainInput): Promise<VerifiedEpoch> {
  const officer = await officerOf(p, input);
  checkOfficerActsFor('office-epoch', officer, input.epoch.certifiedBy, input.epoch.node);
  await verifyOfficeEpoch(p, input.epoch, officer.signingKey.ed25519);
  return markVerified({ epoch: input.epoch, officer, keyHash: keyHash(p, input.epoch.publicKey) });
}

export interface ClosureChainInput {
  readonly closure: EpochClosure;
  /** The certificate of the officer named by `closure.closedBy`. */
  readonly officerCert: OfficerCertificate;
  readonly root: PinnedRoot;
  readonly at: UnixMillis;
  readonly verifyOfficer?: OfficerVerifier;
}

/** The signing officer's certificate, verified by the caller's verifier or against the root at `at`. */
function officerOf(p: CryptoProvider, input: EpochChainInput | ClosureChainInput): Promise<VerifiedOfficer> {
  return input.verifyOfficer ? input.verifyOfficer(input.officerCert) : verifyOfficerCertificate(p, input.officerCert, input.root, input.at);
}

/**
 * Verifies an epoch closure's chain exactly as `verifyEpochChain` does an epoch's. A closure only ever takes
 * trust away, but checking it keeps a node from closing a peer's epochs in its name.
 *
 * @example
 * ```ts
 * const closure = await verifyClosureChain(p, { closure: record, officerCert, root: anchor, at: Date.now() });
 * if (closes(closure, epoch)) refuse();
 * ```
 */
export async function verifyClosureChain(p: CryptoProvider, input: ClosureChainInput): Promise<Verified<EpochClosure>> {
  const officer = await officerOf(p, input);
  checkOfficerActsFor('epoch-closure', officer, input.closure.closedBy, input.closure.node);
  await verifyEpochClosure(p, input.closure, officer.signingKey.ed25519);
  return markVerified(input.closure);
}
