// The service worker's checks of a web release (docs/web-integrity.md), pure so Node tests run them too: the
// manifest's hash must be signed by the pinned organisation root and recorded in the audit log, under a checkpoint
// signed by the pinned log key, and every file served must hash to its manifest entry. Each failure is an
// IntegrityRefusal saying which check failed, in words the refusal page shows.
import { equalBytes, fromBase64, fromHex, toHex, utf8 } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { parseNodeLog } from '../../src/client/log-view.ts';
import { decodeOrganisationRoot, pinRoot, type PinnedRoot } from '../../src/keys/organisation-root.ts';
import { decodeWebRelease, verifyWebRelease } from '../../src/keys/web-release.ts';
import { openCheckpoint } from '../../src/log/checkpoint.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { verifyInclusion } from '../../src/log/proofs.ts';
import { checkHistory, type LogHistory } from './log-history.ts';

/** What the browser pinned at enrollment: hex SHA-256 fingerprints of the organisation root and the log key. */
export interface IntegrityPins {
  readonly rootFingerprint: string;
  readonly logKeyFingerprint: string;
}

/**
 * Why a bundle is refused: `unsigned` (no release signed by the pinned root for this manifest), `unlogged` (signed,
 * but not provably in the audit log under the pinned log key), `altered` (a file does not match the signed
 * manifest), `unavailable` (the checks could not be made: the node did not answer). Nothing runs in any case.
 */
export type RefusalReason = 'unsigned' | 'unlogged' | 'altered' | 'unavailable';

export class IntegrityRefusal extends Error {
  readonly reason: RefusalReason;
  /** The file that failed its check (`altered`), as the manifest names it. */
  readonly file: string | null;

  constructor(reason: RefusalReason, message: string, file: string | null = null, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IntegrityRefusal';
    this.reason = reason;
    this.file = file;
  }
}

/** A release whose signature and log entry verified: the files it allows, path → hex SHA-256. */
export interface VerifiedRelease {
  readonly manifestHash: string;
  readonly version: string;
  readonly logIndex: number;
  readonly files: ReadonlyMap<string, string>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_FILES = 10_000;

/** The manifest's files (path → hex SHA-256); a manifest of another shape is refused as unsigned. */
export function manifestFiles(bytes: Uint8Array): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new IntegrityRefusal('unsigned', 'the manifest is not JSON', null, { cause });
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new IntegrityRefusal('unsigned', 'the manifest lists no files');
  const entries = Object.entries(files as Record<string, unknown>);
  if (entries.length > MAX_FILES) throw new IntegrityRefusal('unsigned', 'the manifest lists too many files');
  const map = new Map<string, string>();
  for (const [path, hash] of entries) {
    if (typeof hash !== 'string' || !HEX64.test(hash)) throw new IntegrityRefusal('unsigned', `the manifest's entry for ${path} is not a SHA-256`);
    map.set(path, hash);
  }
  return map;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function base64(value: unknown, what: string, reason: RefusalReason): Uint8Array {
  if (typeof value !== 'string' || value.length > 64 * 1024) throw new IntegrityRefusal(reason, `the node's ${what} is missing`);
  try {
    return fromBase64(value);
  } catch (cause) {
    throw new IntegrityRefusal(reason, `the node's ${what} is not base64`, null, { cause });
  }
}

/** The pinned root, from the node's `GET /api/v1/node` answer: its fingerprint must be the pin. */
export async function pinnedRootOf(p: CryptoProvider, pins: IntegrityPins, nodeAnswer: unknown): Promise<PinnedRoot> {
  try {
    return await pinRoot(p, decodeOrganisationRoot(base64(field(nodeAnswer, 'root'), 'organisation root', 'unsigned')), fromHex(pins.rootFingerprint));
  } catch (cause) {
    if (cause instanceof IntegrityRefusal) throw cause;
    throw new IntegrityRefusal('unsigned', "this node does not present your organisation's root", null, { cause });
  }
}

/**
 * Verifies a manifest (its exact bytes) against the node's answers: `nodeAnswer` is `GET /api/v1/node`,
 * `releaseAnswer` is `GET /api/v1/web/releases/<hash>` (null when the node has no release for it). With `history`,
 * the checkpoint must also be consistent with the last one this browser accepted.
 */
export async function verifyRelease(p: CryptoProvider, pins: IntegrityPins, manifest: Uint8Array, nodeAnswer: unknown, releaseAnswer: unknown, history?: LogHistory): Promise<VerifiedRelease> {
  const files = manifestFiles(manifest);
  const manifestHash = p.sha256(manifest);
  if (releaseAnswer === null) throw new IntegrityRefusal('unsigned', `no release signed by your organisation has manifest ${toHex(manifestHash)}`);
  const root = await pinnedRootOf(p, pins, nodeAnswer);
  const record = base64(field(releaseAnswer, 'record'), 'release record', 'unsigned');
  let version: string;
  try {
    version = (await verifyWebRelease(p, decodeWebRelease(record), root, manifestHash)).version;
  } catch (cause) {
    throw new IntegrityRefusal('unsigned', 'the release record is not signed by your organisation for this manifest', null, { cause });
  }
  const logIndex = await verifyLogged(p, pins, nodeAnswer, releaseAnswer, manifestHash, record, history);
  return { manifestHash: toHex(manifestHash), version, logIndex, files };
}

/** The release's `web.released` entry, proven included under a checkpoint signed by the pinned log key. */
async function verifyLogged(
  p: CryptoProvider, pins: IntegrityPins, nodeAnswer: unknown, releaseAnswer: unknown, manifestHash: Uint8Array, record: Uint8Array, history: LogHistory | undefined,
): Promise<number> {
  try {
    const log = parseNodeLog(p, field(nodeAnswer, 'log'));
    if (log.fingerprint !== pins.logKeyFingerprint) throw new IntegrityRefusal('unlogged', "this node's audit log key is not the one pinned at enrollment");
    const note = field(releaseAnswer, 'checkpoint');
    if (typeof note !== 'string') throw new IntegrityRefusal('unlogged', 'the node sent no checkpoint');
    const checkpoint = await openCheckpoint(p, utf8(note), log.policy);
    const leaf = base64(field(releaseAnswer, 'leaf'), 'log entry', 'unlogged');
    const entry = decodeLogEntry(leaf);
    if (entry.kind !== 'web.released' || !equalBytes(entry.manifestHash, manifestHash) || !equalBytes(entry.recordHash, p.sha256(record))) {
      throw new IntegrityRefusal('unlogged', 'the log entry the node points to does not record this release');
    }
    const logIndex = field(releaseAnswer, 'logIndex');
    const proofField = field(releaseAnswer, 'proof');
    if (typeof logIndex !== 'number' || !Array.isArray(proofField) || proofField.length > 64) throw new IntegrityRefusal('unlogged', 'the node sent no inclusion proof');
    const proof = proofField.map((h) => base64(h, 'inclusion proof', 'unlogged'));
    verifyInclusion(p, { leafIndex: logIndex, treeSize: checkpoint.size, leafHash: leafHash(p, leaf), proof, root: checkpoint.root });
    if (history) await checkHistory(p, log.policy, checkpoint, note, history);
    return logIndex;
  } catch (cause) {
    if (cause instanceof IntegrityRefusal) throw cause;
    throw new IntegrityRefusal('unlogged', `the release is not provably in your organisation's audit log (${cause instanceof Error ? cause.message : String(cause)})`, null, { cause });
  }
}

/** Checks one file's bytes against the verified manifest; `altered` names the file otherwise. */
export function checkFile(p: CryptoProvider, release: VerifiedRelease, path: string, bytes: Uint8Array): void {
  const expected = release.files.get(path);
  if (expected === undefined) throw new IntegrityRefusal('altered', `${path} is not part of the signed release`, path);
  if (toHex(p.sha256(bytes)) !== expected) throw new IntegrityRefusal('altered', `${path} differs from the signed release`, path);
}
