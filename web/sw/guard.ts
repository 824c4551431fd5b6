// What the service worker does with each request once pinned (docs/web-integrity.md). A navigation fetches the
// manifest, checks it is signed by the pinned root and logged under the pinned log key (once per manifest hash:
// the result is remembered), then fetches and hashes every file it lists before serving a byte; the page's
// scripts and styles are then served from exactly those checked bytes. Anything that fails is the refusal page.
import { fromUtf8 } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import type { LogHistory } from './log-history.ts';
import { refusalResponse } from './refusal.ts';
import { checkFile, IntegrityRefusal, verifyRelease, type IntegrityPins, type VerifiedRelease } from './verify-release.ts';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A file of the release as checked: its bytes and the headers it was served with (the CSP among them). */
interface CheckedFile {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly headers: Headers;
}

interface CheckedRelease {
  readonly release: VerifiedRelease;
  readonly files: ReadonlyMap<string, CheckedFile>;
}

/** A request path as the manifest names the file, or null when the manifest cannot name it. */
export function manifestPathOf(pathname: string): string | null {
  if (pathname === '/') return 'index.html';
  if (/^\/(sw\.js|assets\/[\w-]+\.[a-z0-9]+)$/.test(pathname)) return pathname.slice(1);
  return null;
}

/** Headers a served body must not carry over from the network: the body is ours now. */
const DROPPED = ['content-length', 'content-encoding', 'transfer-encoding'];

export class IntegrityGuard {
  readonly #p: CryptoProvider;
  readonly #fetch: Fetch;
  /** Releases whose signature and log entry verified, by manifest hash: those checks are made once per hash. */
  readonly #verified = new Map<string, VerifiedRelease>();
  /** The release the latest navigation checked, with its files' bytes: what subresources are served from. */
  #current: CheckedRelease | null = null;

  readonly #history: Omit<LogHistory, 'consistency'>;

  constructor(p: CryptoProvider, fetchFn: Fetch, history: Omit<LogHistory, 'consistency'>) {
    this.#p = p;
    this.#fetch = fetchFn;
    this.#history = history;
  }

  async #json(path: string): Promise<unknown> {
    const response = await this.#fetch(path, { cache: 'no-store', credentials: 'omit' });
    if (response.status === 404) return null;
    if (!response.ok) throw new IntegrityRefusal('unavailable', `the node answered ${response.status} for ${path}`);
    return JSON.parse(fromUtf8(new Uint8Array(await response.arrayBuffer()))) as unknown;
  }

  async #release(pins: IntegrityPins): Promise<VerifiedRelease> {
    const response = await this.#fetch('/manifest.json', { cache: 'no-cache', credentials: 'omit' });
    if (!response.ok) throw new IntegrityRefusal('unavailable', `the node answered ${response.status} for the manifest`);
    const manifest = new Uint8Array(await response.arrayBuffer());
    const hash = Array.from(this.#p.sha256(manifest), (b) => b.toString(16).padStart(2, '0')).join('');
    const known = this.#verified.get(hash);
    if (known) return known;
    const [node, release] = await Promise.all([this.#json('/api/v1/node'), this.#json(`/api/v1/web/releases/${hash}`)]);
    const history: LogHistory = { ...this.#history, consistency: (from, to) => this.#json(`/api/v1/log/consistency?from=${from}&to=${to}`) };
    const verified = await verifyRelease(this.#p, pins, manifest, node, release, history);
    this.#verified.set(hash, verified);
    return verified;
  }

  /** Checks the release and every file it lists; nothing is served unless all of them match. */
  async #check(pins: IntegrityPins): Promise<CheckedRelease> {
    const release = await this.#release(pins);
    const files = new Map<string, CheckedFile>();
    await Promise.all(
      [...release.files.keys()].map(async (path) => {
        const response = await this.#fetch(path === 'index.html' ? '/' : `/${path}`, { credentials: 'omit' });
        if (!response.ok) throw new IntegrityRefusal('unavailable', `the node answered ${response.status} for ${path}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        checkFile(this.#p, release, path, bytes);
        const headers = new Headers(response.headers);
        for (const name of DROPPED) headers.delete(name);
        files.set(path, { bytes, headers });
      }),
    );
    const checked = { release, files };
    this.#current = checked;
    return checked;
  }

  /** A navigation: the whole release is checked again, then index.html is served from the checked bytes. */
  async navigate(pins: IntegrityPins, url: URL): Promise<Response> {
    const path = manifestPathOf(url.pathname);
    if (path !== 'index.html') return notFound();
    try {
      return serve((await this.#check(pins)).files.get('index.html'));
    } catch (error) {
      return refusalResponse(asRefusal(error));
    }
  }

  /** A script, style or image of the page: served only from the bytes the navigation checked. */
  async subresource(pins: IntegrityPins, url: URL): Promise<Response> {
    const path = manifestPathOf(url.pathname);
    if (path === null) return notFound();
    try {
      let file = this.#current?.files.get(path);
      // A worker restarted since the navigation, or a newer release: check again before serving anything.
      if (file === undefined) file = (await this.#check(pins)).files.get(path);
      return serve(file);
    } catch (error) {
      const refusal = asRefusal(error);
      return new Response(`Refused: ${refusal.message}`, { status: 409, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
    }
  }
}

function asRefusal(error: unknown): IntegrityRefusal {
  if (error instanceof IntegrityRefusal) return error;
  return new IntegrityRefusal('unavailable', `the checks could not be made (${error instanceof Error ? error.message : String(error)})`, null, { cause: error });
}

function serve(file: CheckedFile | undefined): Response {
  if (file === undefined) return notFound();
  return new Response(file.bytes, { status: 200, headers: file.headers });
}

function notFound(): Response {
  return new Response('Not part of the signed release of Chancery.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
