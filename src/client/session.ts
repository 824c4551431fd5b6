// A device session: the device's keys, a signed HTTP client for its node, the node's identity checked against the
// organisation root the device pinned at enrollment, and its view of the node's audit log (the log key the root
// certified in the node certificate, and the last checkpoint verified). Every other client module takes a Session.
import type { NodeName } from '../cable/types.ts';
import { fromHex, toHex } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import type { Role } from '../envelope/format.ts';
import type { CableSigner } from '../envelope/signatures.ts';
import { decodeNodeCertificate, verifyNodeCertificate, type NodeCertificate } from '../keys/node-certificate.ts';
import { decodeOrganisationRoot, pinRoot, rootFingerprint, type PinnedRoot } from '../keys/organisation-root.ts';
import type { Verified } from '../keys/verified.ts';
import { LogView, logKeyFingerprint, parseNodeLog, type LogMemory, type NodeLog } from './log-view.ts';
import { checkpointPolicy } from '../log/checkpoint.ts';
import { deviceKeysFromMaterial, wipeDeviceKeys, type DeviceKeys } from './device-keys.ts';
import { createNodeHttp, type Fetch, type NodeHttp } from './http.ts';
import { base64Of, fieldsOf, valueIn } from './wire.ts';

/** The node as this device trusts it: its root (pinned) and its certificate (verified against that root). */
export interface VerifiedNode {
  readonly name: NodeName;
  readonly root: PinnedRoot;
  readonly certificate: Verified<NodeCertificate>;
  /** The root's fingerprint, lower-case hex. */
  readonly fingerprint: string;
  /** The node's audit log key, as the root certified it in the node certificate (and checked against the pin). */
  readonly log: NodeLog;
}

export interface Session {
  readonly p: CryptoProvider;
  readonly keys: DeviceKeys;
  readonly http: NodeHttp;
  readonly node: VerifiedNode;
  /** This device's view of the node's audit log: every release share's checkpoint must be consistent with it. */
  readonly log: LogView;
  /** The client's clock (Unix ms). */
  now(): number;
  /** How old a checkpoint may be for the key records it vouches for (src/client/key-transparency.ts); default 10 min. */
  readonly maxLogAgeMs?: number;
  /** The same bound for a peer's key records, relayed by this node (src/client/peer-directory.ts); default 24 h. */
  readonly peerMaxLogAgeMs?: number;
  /** Where the last verified checkpoint of a peer's log is kept between sessions; in memory for the session without it. */
  peerLogMemory?(log: NodeLog): LogMemory;
  /** Wipes the device's secrets held by this session. */
  close(): void;
}

export interface Transport {
  readonly fetch?: Fetch;
  readonly timeoutMs?: number;
}

/**
 * The audit log the root certified in a verified node certificate. A certificate issued before the root certified log
 * keys has none: such a node is refused with what to do about it, never trusted on its own word.
 */
function certifiedLog(p: CryptoProvider, certificate: Verified<NodeCertificate>, url: string): NodeLog {
  const log = certificate.log;
  if (!log) {
    throw new VerificationError(
      'verify.untrusted_key',
      `the node certificate of ${certificate.node} (at ${url}) does not certify an audit log key: it predates root-certified log keys; its operator must have the organisation root re-certify the node (chancery node certify-log-key)`,
    );
  }
  if (log.origin !== `chancery/${certificate.node}`) throw new VerificationError('verify.untrusted_key', `the node's certified audit log is named ${log.origin}, not chancery/${certificate.node}`);
  return { origin: log.origin, publicKey: log.publicKey, policy: checkpointPolicy(p, log.origin, log.publicKey), fingerprint: logKeyFingerprint(p, log.origin, log.publicKey) };
}

/**
 * Fetches `GET /api/v1/node` and checks it: the root's fingerprint must equal `pinned` (hex) — or, with `pinned`
 * null (first use, at enrollment), is accepted and returned for the caller to store — and the node certificate must
 * verify against that root now and name the node that answered. The audit log key is the one the certificate
 * carries: a node serving another is refused, and so is one whose certificate certifies none. A device that pinned
 * a log key (`pinnedLog`) also refuses a certified key other than that one: a new log key is a new log.
 */
export async function fetchVerifiedNode(p: CryptoProvider, http: NodeHttp, pinned: string | null, now = Date.now(), pinnedLog: string | null = null): Promise<VerifiedNode> {
  return verifiedNodeOf(p, await http.get('/api/v1/node'), http.url, pinned, now, pinnedLog);
}

/** Checks an answer of `GET /api/v1/node` from `url` as `fetchVerifiedNode` does (a peer's, relayed, too). */
export async function verifiedNodeOf(p: CryptoProvider, body: unknown, url: string, pinned: string | null, now: number, pinnedLog: string | null = null): Promise<VerifiedNode> {
  const f = fieldsOf('node', body, ['node', 'org', 'url', 'certificate', 'root', 'log']);
  const root = decodeOrganisationRoot(base64Of(f, 'root', 16 * 1024));
  const fingerprint = toHex(rootFingerprint(p, root));
  if (pinned !== null && fingerprint !== pinned) {
    throw new VerificationError(
      'verify.untrusted_key',
      `the node at ${url} presents organisation root ${fingerprint}, not the pinned ${pinned}: refusing to talk to it (a replaced root or a man in the middle)`,
    );
  }
  const pinnedRoot = await pinRoot(p, root, fromHex(fingerprint));
  const certificate = await verifyNodeCertificate(p, decodeNodeCertificate(base64Of(f, 'certificate', 16 * 1024)), pinnedRoot, now);
  if (certificate.node !== f.token('node', 64)) throw new VerificationError('verify.untrusted_key', 'the node certificate names another node');
  const log = certifiedLog(p, certificate, url);
  const served = parseNodeLog(p, valueIn('node', body, 'log'));
  if (served.fingerprint !== log.fingerprint) {
    throw new VerificationError(
      'verify.untrusted_key',
      `the node at ${url} serves audit log key ${served.fingerprint}, but its organisation root certified ${log.fingerprint}: refusing to talk to it (a log signed by another key looks exactly like a forged one)`,
    );
  }
  if (pinnedLog !== null && log.fingerprint !== pinnedLog) {
    throw new VerificationError(
      'verify.untrusted_key',
      `the node at ${url} presents audit log key ${log.fingerprint}, not the pinned ${pinnedLog}: refusing to talk to it (a replaced log key looks exactly like a forged log)`,
    );
  }
  return { name: certificate.node, root: pinnedRoot, certificate, fingerprint, log };
}

export interface SessionOptions extends Transport {
  readonly url: string;
  /** Hex fingerprint of the organisation root pinned for this device. */
  readonly rootFingerprint: string;
  /** Hex fingerprint of the node's audit log key pinned for this device; without it, the certified one is used. */
  readonly logKeyFingerprint?: string;
  /** The last checkpoint this device verified (its note), and where to save newer ones; in memory without it. */
  readonly logMemory?: LogMemory;
  /** See `Session.maxLogAgeMs`. */
  readonly maxLogAgeMs?: number;
  /** See `Session.peerMaxLogAgeMs`. */
  readonly peerMaxLogAgeMs?: number;
  /** See `Session.peerLogMemory`. */
  readonly peerLogMemory?: (log: NodeLog) => LogMemory;
}

/**
 * A session over keys already in memory (the caller keeps ownership of `keys`; `close` wipes the session's copy).
 *
 * @example
 * const s = await openSession(p, keys, { url: 'http://127.0.0.1:8080', rootFingerprint });
 */
export async function openSession(p: CryptoProvider, keys: DeviceKeys, options: SessionOptions): Promise<Session> {
  const own = await deviceKeysFromMaterial(p, keys);
  const signer = { user: own.user, device: own.device, signingSeed: own.signingSeed };
  const http = createNodeHttp(p, { url: options.url, signer, ...transportOf(options) });
  try {
    const node = await fetchVerifiedNode(p, http, options.rootFingerprint, Date.now(), options.logKeyFingerprint ?? null);
    if (node.name !== own.node) throw new VerificationError('verify.untrusted_key', `this device belongs to node ${own.node}, not ${node.name}`);
    const log = await LogView.open(p, http, node.log, options.logMemory);
    const bound = {
      ...(options.maxLogAgeMs === undefined ? {} : { maxLogAgeMs: options.maxLogAgeMs }),
      ...(options.peerMaxLogAgeMs === undefined ? {} : { peerMaxLogAgeMs: options.peerMaxLogAgeMs }),
      ...(options.peerLogMemory === undefined ? {} : { peerLogMemory: options.peerLogMemory }),
    };
    return { p, keys: own, http, node, log, now: () => Date.now(), ...bound, close: () => wipeDeviceKeys(own) };
  } catch (error) {
    wipeDeviceKeys(own);
    throw error;
  }
}

/** This device as a cable signer in `role`; the seed stays in the session (no copy to wipe later). */
export function cableSigner(s: Session, role: Role): CableSigner {
  return { role, user: s.keys.user, device: s.keys.device, sign: (message) => s.p.ed25519Sign(s.keys.signingSeed, message) };
}

export function transportOf(t: Transport): Transport {
  return { ...(t.fetch ? { fetch: t.fetch } : {}), ...(t.timeoutMs === undefined ? {} : { timeoutMs: t.timeoutMs }) };
}
