// Peered nodes in this process for federation tests: each is its own organisation (`node init` in a temp dir, its
// root key file read back), served by `startNode` (real HTTP on a loopback port, its keeper a child process), and
// peered with every other one both ways — each root signs a peer certificate that the node's first officer uploads
// to `POST /api/v1/peers`. Requests go over real sockets, signed by a device or by a node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { readRootKeyFile, wipeRootKey, type RootKey } from '../../src/client/root-key.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { encodeOrganisationRoot, rootFingerprint } from '../../src/keys/organisation-root.ts';
import { encodePeerCertificate, signPeerCertificate } from '../../src/keys/peer-certificate.ts';
import { initNode } from '../../src/node/init.ts';
import { readNodeSigningKey } from '../../src/node/node-files.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { signRequest } from '../../src/protocol/http-signature.ts';
import { formatNodeKeyId } from '../../src/protocol/key-id.ts';
import { freePort } from '../support/ports.ts';

export const PASSPHRASE = 'correct horse battery staple';
const YEAR = 365 * 24 * 3600 * 1000;

/** Who signs a request: a device (its id and Ed25519 seed), or a node (its name and node key's Ed25519 seed). */
export type Signer =
  | { readonly user: UserId; readonly device: DeviceId; readonly signingSeed: Uint8Array }
  | { readonly node: NodeName; readonly signingSeed: Uint8Array };

export interface PeeredNode {
  readonly name: NodeName;
  readonly org: string;
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly dataDir: string;
  /** The first security officer's device (founding officer) and its key file. */
  readonly officer: { readonly user: UserId; readonly device: DeviceId; readonly signingSeed: Uint8Array };
  readonly officerKeyFile: string;
  readonly rootKeyFile: string;
  /** The organisation root's secret and public record (wiped by `stop`). */
  readonly root: RootKey;
  /** This node as a request signer (its node key), as a peer calls it. */
  readonly nodeSigner: Signer;
  /** The running node; null while stopped. */
  readonly running: RunningNode | null;
}

export interface PeeredNodes {
  readonly nodes: readonly PeeredNode[];
  node(name: string): PeeredNode;
  /** Stops one node (it keeps its port and data for `start`). */
  stopNode(name: string): Promise<void>;
  startNode(name: string): Promise<void>;
  /** Stops every node and deletes their directories. */
  stop(): Promise<void>;
}


export interface Reply {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

/** One request over HTTP, signed by `signer` (or not, with null), for exactly the URL it is sent to. */
export async function request(url: string, signer: Signer | null, method: 'GET' | 'POST', path: string, body?: unknown, o: { nonce?: Uint8Array } = {}): Promise<Reply> {
  const target = `${url}${path}`;
  const bytes = body === undefined ? new Uint8Array(0) : utf8(JSON.stringify(body));
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (signer) {
    const keyId = 'user' in signer ? `${signer.user}/${signer.device}` : formatNodeKeyId(signer.node);
    Object.assign(headers, await signRequest(p, { method, url: target, body: bytes, keyId, signingSeed: signer.signingSeed, now: Date.now(), ...(o.nonce ? { nonce: o.nonce } : {}) }));
  }
  const res = await fetch(target, { method, headers, ...(body === undefined ? {} : { body: new Uint8Array(bytes) }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** The body `a`'s officer uploads to add `b` as a peer: `a`'s root's certificate for `b`, `b`'s root and node certificate. */
export async function peerBody(a: PeeredNode, b: PeeredNode, signingRoot: RootKey = a.root): Promise<{ certificate: string; root: string; nodeCertificate: string }> {
  if (!b.running) throw new Error(`${b.name} is not running`);
  const now = Date.now();
  const cert = await signPeerCertificate(
    p,
    { org: signingRoot.org, peer: b.name, peerOrg: b.root.org, peerRootFingerprint: rootFingerprint(p, b.root.root), url: b.url, validFrom: now - 60_000, validUntil: now + YEAR },
    signingRoot.secret,
  );
  return { certificate: toBase64(encodePeerCertificate(cert)), root: toBase64(encodeOrganisationRoot(b.root.root)), nodeCertificate: toBase64(b.running.context.identity.certificate) };
}

/** `a` adds `b` as a peer; throws unless the node answers 201 or 200. */
export async function addPeer(a: PeeredNode, b: PeeredNode): Promise<Reply> {
  const reply = await request(a.url, a.officer, 'POST', '/api/v1/peers', await peerBody(a, b));
  if (reply.status !== 201 && reply.status !== 200) throw new Error(`${a.name} adding ${b.name}: ${reply.status} ${reply.text}`);
  return reply;
}

interface Slot {
  node: PeeredNode;
}

/**
 * Initialises and starts one node per name (org = name; `EEAS`, `MFA.CY`), and peers every pair both ways unless
 * `peer` is false.
 *
 * @example
 * const net = await startPeeredNodes(['EEAS', 'MFA.CY']);
 * try { ... } finally { await net.stop(); }
 */
export async function startPeeredNodes(names: readonly string[], options: { readonly peer?: boolean } = {}): Promise<PeeredNodes> {
  const slots: Slot[] = [];
  const log = pino({ level: 'silent' });
  const serve = async (slot: Slot): Promise<void> => {
    const n = slot.node;
    const running = await startNode(p, { dataDir: n.dataDir, host: '127.0.0.1', port: n.port, url: n.url, log, detect: false });
    slot.node = { ...n, running };
  };
  const stopAll = async (): Promise<void> => {
    for (const s of slots) {
      await s.node.running?.close();
      s.node = { ...s.node, running: null };
      wipeRootKey(s.node.root);
      rmSync(s.node.dir, { recursive: true, force: true });
    }
  };
  try {
    for (const name of names) {
      const dir = mkdtempSync(join(tmpdir(), `chancery-fed-${name}-`));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const dataDir = join(dir, 'data');
      const officerKeyFile = join(dir, 'officer.key');
      const user = 'olga' as UserId;
      const device = 'd-olga-1' as DeviceId;
      const init = await initNode(p, {
        dataDir, rootDir: join(dir, 'root'), org: name, node: name as NodeName, url, rootPassphrase: PASSPHRASE,
        officer: { id: user, name: 'Olga Officer', nationality: 'CY', device, passphrase: PASSPHRASE, keyFile: officerKeyFile },
        now: Date.now(), keyFileOptions: { scryptN: 1024 },
      });
      const keys = await readKeyFile(officerKeyFile, PASSPHRASE);
      const root = await readRootKeyFile(init.rootKeyFile, PASSPHRASE);
      const nodeKey = readNodeSigningKey(dataDir);
      slots.push({
        node: {
          name: name as NodeName, org: name, url, port, dir, dataDir, officer: { user: keys.user, device: keys.device, signingSeed: keys.signingSeed }, officerKeyFile,
          rootKeyFile: init.rootKeyFile, root, nodeSigner: { node: name as NodeName, signingSeed: nodeKey.ed25519Seed }, running: null,
        },
      });
    }
    for (const s of slots) await serve(s);
    if (options.peer !== false) {
      for (const a of slots) for (const b of slots) if (a !== b) await addPeer(a.node, b.node);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const slotOf = (name: string): Slot => {
    const slot = slots.find((s) => s.node.name === name);
    if (!slot) throw new Error(`no node ${name}`);
    return slot;
  };
  return {
    get nodes() {
      return slots.map((s) => s.node);
    },
    node: (name) => slotOf(name).node,
    async stopNode(name) {
      const slot = slotOf(name);
      await slot.node.running?.close();
      slot.node = { ...slot.node, running: null };
    },
    async startNode(name) {
      const slot = slotOf(name);
      if (!slot.node.running) await serve(slot);
    },
    stop: stopAll,
  };
}
