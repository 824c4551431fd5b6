// A node for the HTTP-layer tests: `chancery node init` in a temp dir (cheap scrypt), the Hono app over it for
// in-process requests (`app.request`), the first security officer's session, a signed-request helper, device
// enrollment and approval, and a digest of every table to prove a refused request wrote nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { pino } from 'pino';
import type { Classification, DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { createApp } from '../../src/node/app.ts';
import { AuditLog } from '../../src/node/audit-log.ts';
import { openLogKey } from '../../src/node/log-key.ts';
import { DEFAULT_SHARE_RATE, type ShareRate } from '../../src/node/share-rate.ts';
import { createAuthenticator } from '../../src/node/authenticate.ts';
import { initNode } from '../../src/node/init.ts';
import { createMetrics } from '../../src/node/metrics.ts';
import type { NodeContext } from '../../src/node/node-context.ts';
import { nodePath, readNodeIdentity } from '../../src/node/node-files.ts';
import { loadReleaseService } from '../../src/node/release-service.ts';
import { allRoutes } from '../../src/node/routes/index.ts';
import { signRequest } from '../../src/protocol/http-signature.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

export const p = nodeProvider;
export const NODE = 'MFA.CY' as NodeName;
const URL_BASE = 'http://node.test';
export const OLGA = 'olga' as UserId;
export const OLGA_DEVICE = 'd-olga-1' as DeviceId;
export const AMERICAS = 'MFA.CY.AMERICAS' as OfficeCode;
export const LOW = 'MFA.CY.LOW' as OfficeCode;
/** Cheap scrypt: the key files here guard nothing. */
const KEY_FILE_OPTIONS = { scryptN: 1024 } as const;
export const PASSPHRASE = 'correct horse battery staple';

/** Who signs a request: a device's id and its Ed25519 seed. */
export interface Session {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly signingSeed: Uint8Array;
}

/** A node initialised on disk (not yet served). */
export interface InitialisedNode {
  readonly dir: string;
  readonly dataDir: string;
  readonly officer: Session;
  /** The organisation root's key file (passphrase PASSPHRASE), for appointing officers. */
  readonly rootKeyFile: string;
  cleanup(): void;
}

/** `initNode` in a fresh temp dir, with the officer's key file read back (as a client would). */
export async function initTestNode(url = URL_BASE): Promise<InitialisedNode> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-node-test-'));
  const dataDir = join(dir, 'data');
  const keyFile = join(dir, 'olga.key');
  const init = await initNode(p, {
    dataDir, rootDir: join(dir, 'root'), org: 'MFA.CY', node: NODE, url, rootPassphrase: PASSPHRASE,
    officer: { id: OLGA, name: 'Olga Officer', nationality: 'CY', device: OLGA_DEVICE, passphrase: PASSPHRASE, keyFile },
    now: Date.now(), keyFileOptions: KEY_FILE_OPTIONS,
  });
  const keys = await readKeyFile(keyFile, PASSPHRASE);
  const officer = { user: keys.user, device: keys.device, signingSeed: keys.signingSeed };
  return { dir, dataDir, officer, rootKeyFile: init.rootKeyFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A node served in-process: requests go through `app.request`, never a socket. */
export interface TestNode extends InitialisedNode {
  readonly context: NodeContext;
  readonly app: Hono;
  close(): void;
}

/**
 * The node as `startNode` builds it, but with a silent logger, without listening; over the wall clock and the node
 * crypto provider unless `o` gives others (a clock a test moves, a provider that counts verifications).
 */
export async function makeNode(o: { readonly p?: CryptoProvider; readonly now?: () => number; readonly shareRate?: ShareRate } = {}): Promise<TestNode> {
  const init = await initTestNode();
  const store = openSqliteStore(nodePath(init.dataDir, 'store'));
  const log = pino({ level: 'silent' });
  const { key, identity } = await openLogKey(p, init.dataDir, readNodeIdentity(init.dataDir), log);
  const now = o.now ?? (() => Date.now());
  const context: NodeContext = {
    p: o.p ?? p, store, identity,
    release: loadReleaseService(p, identity.node, nodePath(init.dataDir, 'releaseKey'), store),
    auditLog: new AuditLog(p, store, identity.node, { key, identity: identity.log }, now),
    shareRate: o.shareRate ?? DEFAULT_SHARE_RATE,
    log,
    now,
  };
  return {
    ...init,
    context,
    app: createApp(context, allRoutes, createMetrics(), createAuthenticator(context)),
    close() {
      store.close();
      init.cleanup();
    },
  };
}

export interface SendOptions {
  /** A JSON value (serialised), or raw text/bytes sent as they are. */
  readonly body?: unknown;
  readonly raw?: string | Uint8Array;
  /** Default `application/json` when there is a body; `null` sends none. */
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sign for this time instead of the node's clock (ms). */
  readonly signedAt?: number;
  readonly nonce?: Uint8Array;
  /** Change the body after signing. */
  readonly tamper?: (body: Uint8Array) => Uint8Array;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
  readonly text: string;
}

/** The three signature headers for a request (the Content-Digest, Signature-Input, Signature triple). */
export async function signedHeaders(session: Session, method: string, url: string, body: Uint8Array, now: number, nonce?: Uint8Array): Promise<Record<string, string>> {
  const headers = await signRequest(p, { method, url, body, keyId: `${session.user}/${session.device}`, signingSeed: session.signingSeed, now, ...(nonce ? { nonce } : {}) });
  return { ...headers };
}

function bodyBytes(o: SendOptions): Uint8Array {
  if (o.raw !== undefined) return typeof o.raw === 'string' ? utf8(o.raw) : o.raw;
  return o.body === undefined ? new Uint8Array(0) : utf8(JSON.stringify(o.body));
}

/** Builds the request (signed by `session` unless null) without sending it. */
export async function buildRequest(node: Pick<TestNode, 'context'> | { url: string; now: () => number }, session: Session | null, method: string, path: string, o: SendOptions = {}): Promise<Request> {
  const base = 'context' in node ? node.context.identity.url : node.url;
  const now = 'context' in node ? node.context.now() : node.now();
  const url = `${base}${path}`;
  const body = bodyBytes(o);
  const headers: Record<string, string> = {};
  if (body.length > 0 && o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json';
  if (session) Object.assign(headers, await signedHeaders(session, method, url, body, o.signedAt ?? now, o.nonce));
  Object.assign(headers, o.headers ?? {});
  const sent = o.tamper ? o.tamper(body) : body;
  return new Request(url, { method, headers, ...(sent.length > 0 ? { body: new Uint8Array(sent) } : {}) });
}

export async function readReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Sends one request through the in-process app. */
export async function send(node: TestNode, session: Session | null, method: string, path: string, o: SendOptions = {}): Promise<Reply> {
  return readReply(await node.app.request(await buildRequest(node, session, method, path, o)));
}

/** The `code` of an error reply (undefined when the body is not `{code, message}`). */
export function codeOf(reply: Reply): string | undefined {
  const j = reply.json as { code?: unknown; message?: unknown } | undefined;
  return typeof j?.code === 'string' && typeof j.message === 'string' ? j.code : undefined;
}

export function officeBody(code: string, ceiling: Classification = 'SECRET') {
  return { code, name: `office ${code}`, ceiling, communities: ['EU'] };
}

export function userBody(id: string, clearance: Classification, memberships: readonly object[]) {
  return { id, name: `user ${id}`, clearance, nationality: 'CY', organisations: ['EU'], caveats: [], memberships };
}

/** New keys for a device of `user`, enrolled (pending) by a request signed with the device's own key. */
export async function enroll(node: TestNode, user: UserId, device: DeviceId): Promise<{ keys: DeviceKeys; reply: Reply }> {
  const keys = await generateDeviceKeys(p, user, device, NODE);
  const body = { user, device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey) };
  const reply = await send(node, sessionOf(keys), 'POST', '/api/v1/enrollments', { body });
  return { keys, reply };
}

/** The officer's signed device record approving `keys`, uploaded by the officer. */
export async function approve(node: TestNode, keys: DeviceKeys): Promise<Reply> {
  const record = await signDeviceRecord(
    p,
    { user: keys.user, device: keys.device, node: NODE, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: node.context.now(), approval: { kind: 'officer', officer: OLGA } },
    node.officer.signingSeed,
  );
  return send(node, node.officer, 'POST', `/api/v1/devices/${keys.user}/${keys.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } });
}

export function sessionOf(keys: DeviceKeys): Session {
  return { user: keys.user, device: keys.device, signingSeed: keys.signingSeed };
}

/** A user with one approved device. */
export async function approvedUser(node: TestNode, user: UserId, clearance: Classification, memberships: readonly object[]): Promise<DeviceKeys> {
  const created = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody(user, clearance, memberships) });
  if (created.status !== 201) throw new Error(`creating ${user}: ${created.status} ${created.text}`);
  const { keys, reply } = await enroll(node, user, `d-${user}-1` as DeviceId);
  if (reply.status !== 201) throw new Error(`enrolling ${user}: ${reply.status} ${reply.text}`);
  const approved = await approve(node, keys);
  if (approved.status !== 200) throw new Error(`approving ${user}: ${approved.status} ${approved.text}`);
  return keys;
}

/**
 * A digest of every table but `nonces` (a signed request records its nonce before the handler runs, by design:
 * replay protection must hold whatever the handler answers), read through a second, read-only connection.
 */
export function tableDigest(dataDir: string): { digest(): Record<string, string>; close(): void } {
  const db = new Database(nodePath(dataDir, 'store'), { readonly: true, fileMustExist: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'nonces' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  // Some tables are WITHOUT ROWID: rows are serialised and sorted here rather than ordered in SQL.
  const statements = tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).raw(true)] as const);
  const cell = (v: unknown): string => (v instanceof Uint8Array ? `b:${toBase64(v)}` : JSON.stringify(v ?? null));
  return {
    digest() {
      const out: Record<string, string> = {};
      for (const [name, statement] of statements) {
        const rows = (statement.all() as unknown[][]).map((row) => row.map(cell).join('\u0000')).sort();
        out[name] = `${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
      }
      return out;
    },
    close: () => db.close(),
  };
}
