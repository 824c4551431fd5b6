// The release service (DESIGN.md "The envelope" step 4): opens an office's second share and hands it out sealed to
// a device, only against the committed log entry that records it. In `chancery serve` this runs in the keeper
// process (src/node/keeper/), the only process that loads DATA/release-service.key; here it also serves unit tests
// in memory. Policy and the rate limit are the route's checks, before the entry is written; what this module checks
// needs nothing from the web-facing process but a cable id, an office and an index (docs/node.md "Deployment"):
// - the entry is under a checkpoint the service trusts (the keeper's: one it signed itself), proven by an inclusion
//   proof against that checkpoint's root, so the read is in the history the log key committed to and can never be
//   taken back without the keeper refusing to sign again;
// - it is a `cable.read` or `share.released` of this cable and office, or a `draft.read` of this draft, its
//   originating office and its level (the draft's share, from the stored sealed draft's release bundle);
// - the share is sealed to the device the entry names, whose key comes from its stored approved record (and, in
//   the keeper, whose chain reaches the organisation root): whoever asks, only the logged device can open it.
import { readFileSync } from 'node:fs';
import type { CableId, NodeName, OfficeCode } from '../cable/types.ts';
import { fromBase64, wipe } from '../bytes.ts';
import { DecodeError, FileError, InternalError, LogError, OpenError, VerificationError } from '../errors.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { HpkeSealed } from '../crypto/hpke.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import { decodeSealedDraft } from '../envelope/draft.ts';
import { openDraftRelease } from '../envelope/draft-release.ts';
import { openReleaseShares } from '../envelope/open.ts';
import { sealShareForDevice } from '../envelope/share-delivery.ts';
import { verifyEnvelope } from '../envelope/verify.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../keys/device-record.ts';
import { decodeDeviceRevocation, verifyDeviceChainAsOfRevocations } from '../keys/device-revocation.ts';
import { decodeOfficerCertificate, type OfficerVerifier } from '../keys/officer-certificate.ts';
import type { PinnedRoot } from '../keys/organisation-root.ts';
import { decodeLogEntry, type LogEntry } from '../log/events.ts';
import { leafHash } from '../log/merkle.ts';
import { inclusionProof, verifyInclusion } from '../log/proofs.ts';
import { logHashes, type Store, type StoreTx } from '../store/store.ts';
import type { ReleaseService } from './node-context.ts';

/** What a share is asked for by: the cable, the office whose share it is, and the index of the entry recording it. */
export interface ShareRequest {
  readonly cable: CableId;
  readonly office: OfficeCode;
  readonly index: number;
}

/** A tree head the service trusts: the keeper's last signed one, or (in memory) the store's latest checkpoint. */
export interface TrustedHead {
  readonly size: number;
  readonly root: Uint8Array;
}

/** What the service works with. `root` null: the device's stored approved record is taken as it is (unit tests). */
export interface ReleaseKeyContext {
  readonly p: CryptoProvider;
  readonly node: NodeName;
  readonly secretKey: Uint8Array;
  /** The node's store; only read. */
  readonly store: Store;
  readonly root: PinnedRoot | null;
  readonly now: () => number;
  /** Checks an approving officer's certificate (the keeper reuses recent verifications); the full check by default. */
  readonly verifyOfficer?: OfficerVerifier;
}

type ShareEntry = Extract<LogEntry, { kind: 'cable.read' | 'share.released' | 'draft.read' }>;

function notRecorded(why: string): InternalError {
  // Route code always logs first: a request without that is a bug or an attack, and nothing is opened for it.
  return new InternalError(`release service: no log entry records this share (${why})`);
}

function shareEntry(leaf: Uint8Array, request: ShareRequest): ShareEntry {
  let entry: LogEntry;
  try {
    entry = decodeLogEntry(leaf);
  } catch (error) {
    if (error instanceof DecodeError) throw notRecorded('the entry does not decode');
    throw error;
  }
  if (entry.kind !== 'cable.read' && entry.kind !== 'share.released' && entry.kind !== 'draft.read') throw notRecorded(`the entry is a ${entry.kind}`);
  if (entry.cable !== request.cable || entry.office !== request.office) throw notRecorded('the entry is of another cable or office');
  return entry;
}

interface StoredFacts {
  readonly leaf: Uint8Array;
  readonly proof: Uint8Array[];
  /** The stored envelope (a delivered cable's, a released draft's), or for a `draft.read` the sealed draft. */
  readonly envelope: Uint8Array | null;
  /** The user's approved device records, and revoked ones with their revocation (they approved others before it). */
  readonly devices: readonly { readonly record: Uint8Array; readonly approved: boolean }[];
  readonly revocations: readonly Uint8Array[];
  readonly officers: readonly Uint8Array[];
  /** Officers' own approved, logged device records: they approve as their officer (trust.ts `officerDeviceRecords`). */
  readonly officerDevices: readonly Uint8Array[];
}

/** Everything the share needs from the store, in one snapshot. */
function readFacts(p: CryptoProvider, tx: StoreTx, head: TrustedHead, request: ShareRequest): StoredFacts {
  const row = tx.logEntry(request.index);
  if (!row) throw notRecorded('no such entry');
  let proof: Uint8Array[];
  try {
    proof = inclusionProof(p, logHashes(tx), request.index, head.size);
  } catch (error) {
    if (error instanceof LogError) throw notRecorded('the store cannot prove the entry under the trusted head');
    throw error;
  }
  const entry = shareEntry(row.leaf, request);
  const revocations = tx.listDeviceRevocations(entry.user);
  const revoked = new Set(revocations.map((r) => r.device));
  const draft = entry.kind === 'cable.read' ? undefined : tx.getDraft(request.cable);
  const envelope = entry.kind === 'cable.read' ? tx.getCable(request.cable)?.envelope : entry.kind === 'draft.read' ? draft?.sealedDraft : draft?.releasedEnvelope;
  return {
    leaf: row.leaf,
    proof,
    envelope: envelope ?? null,
    devices: tx.listDevices(entry.user).filter((d) => d.status === 'approved' || (d.status === 'revoked' && revoked.has(d.device)))
      .map((d) => ({ record: d.record, approved: d.status === 'approved' })),
    revocations: revocations.map((r) => r.record),
    officers: tx.listOfficerCertificates(),
    officerDevices: tx.listOfficerCertificates().flatMap((cert) => tx.listDevices(decodeOfficerCertificate(cert).user))
      .filter((d) => d.status === 'approved' && tx.logIndexOfKeyRecord(p.sha256(d.record)) !== null).map((d) => d.record),
  };
}

/** The logged device's encryption key: its approved record, chained to the root when the service pins one. */
async function deviceKey(k: ReleaseKeyContext, entry: ShareEntry, facts: StoredFacts): Promise<Uint8Array> {
  const records: DeviceRecord[] = facts.devices.map((d) => decodeDeviceRecord(d.record));
  const record = records.find((r, i) => facts.devices[i]?.approved === true && r.user === entry.user && r.device === entry.device);
  if (!record) throw new VerificationError('verify.untrusted_key', 'the logged device is not an approved device');
  if (!k.root) return record.encryptionKey;
  const officers = facts.officers.map((bytes) => decodeOfficerCertificate(bytes));
  // As the node's trust does (trust.ts): what a revoked device approved before its revocation stands.
  const revocations = facts.revocations.map((bytes) => decodeDeviceRevocation(bytes));
  const officerDevices = facts.officerDevices.map((bytes) => decodeDeviceRecord(bytes));
  const chain = { device: record, devices: records, officerDevices, revocations, officers, root: k.root, at: k.now() };
  const verified = await verifyDeviceChainAsOfRevocations(k.p, k.verifyOfficer ? { ...chain, verifyOfficer: k.verifyOfficer } : chain);
  return verified.record.encryptionKey;
}

/**
 * The share of `request.office` in `request.cable`, sealed to the device that the entry at `request.index` names,
 * if that entry is a `cable.read`, `share.released` or `draft.read` of this cable and office and is proven under
 * `head`.
 * Otherwise `internal` (a route never asks without logging first) and nothing is opened.
 *
 * @example
 * ```ts
 * const sealed = await releaseShare(context, { size, root }, { cable, office, index: appended.first });
 * ```
 */
export async function releaseShare(k: ReleaseKeyContext, head: TrustedHead | null, request: ShareRequest): Promise<HpkeSealed> {
  if (!head || !Number.isSafeInteger(request.index) || request.index < 0 || request.index >= head.size) {
    throw notRecorded('the entry is not under a trusted checkpoint');
  }
  const facts = k.store.transaction((tx) => readFacts(k.p, tx, head, request));
  try {
    verifyInclusion(k.p, { leafIndex: request.index, treeSize: head.size, leafHash: leafHash(k.p, facts.leaf), root: head.root, proof: facts.proof });
  } catch (error) {
    if (error instanceof LogError) throw notRecorded('the stored entry is not the one under the trusted head');
    throw error;
  }
  const entry = shareEntry(facts.leaf, request);
  if (entry.kind === 'draft.read') return releaseDraftShare(k, entry, facts);
  if (!facts.envelope) throw new OpenError('open.not_addressed', 'no stored envelope of this cable');
  // No signature is needed here: the release wrap opens only under the genuine header's id and digest (HPKE info,
  // src/envelope/wrap-info.ts), and that id must be the logged cable's.
  const verified = await verifyEnvelope(k.p, decodeEnvelope(facts.envelope), () => Promise.reject(new InternalError('no signer is checked')), { roles: [] });
  if (verified.routing.id !== request.cable) throw notRecorded('the stored envelope is of another cable');
  const encryptionKey = await deviceKey(k, entry, facts);
  const shares = await openReleaseShares(k.p, verified, k.node, k.secretKey);
  const share = shares.get(request.office);
  try {
    if (!share) throw new OpenError('open.not_addressed', `no share for ${request.office}`);
    return await sealShareForDevice(k.p, share, encryptionKey, { cable: request.cable, office: request.office, user: entry.user, device: entry.device });
  } finally {
    for (const s of shares.values()) wipe(s);
  }
}

/**
 * The draft share of the draft a `draft.read` entry records, sealed to the device it names. The draft is read back
 * from the store: one replaced since at another office or level is not the draft that was logged and policy-checked.
 */
async function releaseDraftShare(k: ReleaseKeyContext, entry: Extract<ShareEntry, { kind: 'draft.read' }>, facts: StoredFacts): Promise<HpkeSealed> {
  if (!facts.envelope) throw new OpenError('open.not_addressed', 'no stored draft of this id');
  const draft = decodeSealedDraft(facts.envelope);
  if (draft.id !== entry.cable || draft.from !== entry.office || draft.level !== entry.level) throw notRecorded('the stored draft is not the one logged');
  if (!draft.release) throw new OpenError('open.not_addressed', 'the draft holds no share');
  const encryptionKey = await deviceKey(k, entry, facts);
  const share = await openDraftRelease(k.p, draft, draft.release, k.node, k.secretKey);
  try {
    return await sealShareForDevice(k.p, share, encryptionKey, { cable: draft.id, office: draft.from, user: entry.user, device: entry.device });
  } finally {
    wipe(share);
  }
}

/** A release service over a secret held in memory, trusting the store's latest checkpoint (unit tests). */
export function releaseServiceFromSecret(p: CryptoProvider, node: NodeName, secretKey: Uint8Array, store: Store): ReleaseService {
  const context: ReleaseKeyContext = { p, node, secretKey: secretKey.slice(), store, root: null, now: () => Date.now() };
  return {
    shareFor(verified, office, receipt) {
      const head = store.transaction((tx) => tx.latestCheckpoint());
      return releaseShare(context, head, { cable: verified.routing.id, office, index: receipt.index });
    },
  };
}

/** Reads the release key file written by `chancery node init`: its 32-byte X-Wing seed. */
export function loadReleaseKey(node: NodeName, path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileError('file.missing', `release-service key not found at ${path}`, { cause });
  }
  try {
    const parsed = JSON.parse(text) as { v?: unknown; node?: unknown; secretKey?: unknown };
    if (parsed.v !== 1 || parsed.node !== node || typeof parsed.secretKey !== 'string') throw new Error('shape');
    const secret = fromBase64(parsed.secretKey);
    if (secret.length !== 32) throw new Error('length');
    return secret;
  } catch (cause) {
    throw new FileError('file.malformed', `release-service key file ${path} is malformed`, { cause });
  }
}

/** An in-memory release service over the key file (unit tests; `chancery serve` runs the keeper instead). */
export function loadReleaseService(p: CryptoProvider, node: NodeName, path: string, store: Store): ReleaseService {
  const secret = loadReleaseKey(node, path);
  const service = releaseServiceFromSecret(p, node, secret, store);
  wipe(secret);
  return service;
}
