// Request signatures: the RFC 9421 subset every device-to-node API call carries (docs/node.md "Request signatures"):
// Ed25519 over ("@method" "@target-uri" "content-digest") with created, nonce, keyid and alg. Shared by the client
// (signRequest) and the node (parseAndVerifyRequest); every refusal is an AuthError with a stable code.
import { fromBase64, toBase64 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { AuthError } from '../errors.ts';
import { contentDigest, ContentDigest, verifyContentDigest } from './content-digest.ts';
import { parseSignerKeyId, type KeyId, type SignerKeyId } from './key-id.ts';
import { serializeSignatureParams, signatureBase } from './signature-base.ts';
import { parseDictionary, type BareItem, type Dictionary, type InnerList, type Item, type Parameters } from './structured-fields.ts';

/** The profile: one label, one algorithm, exactly these covered components and parameters. */
export const RequestSignature = {
  label: 'sig1',
  alg: 'ed25519',
  components: ['@method', '@target-uri', 'content-digest'],
  params: ['created', 'nonce', 'keyid', 'alg'],
  nonceLength: 16,
  signatureLength: 64,
  maxHeaderLength: 4096,
  defaultMaxSkewSeconds: 60,
} as const;

/** Unix milliseconds, as `Date.now()` and the node's clock give them. */
export type UnixMillis = number;

export interface SignRequestInput {
  readonly method: string;
  /** The absolute URL the request is sent to. */
  readonly url: string;
  readonly body: Uint8Array;
  readonly keyId: string;
  readonly signingSeed: Uint8Array;
  readonly now: UnixMillis;
  /** 16 bytes; fresh randomness when absent (passing one is for tests). */
  readonly nonce?: Uint8Array;
}

/** The three headers to add to the request, lower-case names. */
export interface SignedRequestHeaders {
  readonly 'content-digest': string;
  readonly 'signature-input': string;
  readonly signature: string;
}

/** A Fetch `Headers` or a case-insensitive lookup returning the combined field value. */
export type HeaderLookup = Headers | ((name: string) => string | null | undefined);

export interface IncomingRequest {
  readonly method: string;
  /** The absolute target URI as the node sees it (its public origin when behind a proxy). */
  readonly url: string;
  readonly headers: HeaderLookup;
  readonly body: Uint8Array;
}

export interface VerifyPolicy {
  /** The device's Ed25519 public key, or an AuthError (`auth.unknown_device`, `auth.device_not_approved`). */
  resolveKey(keyId: KeyId): Promise<Uint8Array | AuthError>;
  readonly now: UnixMillis;
  /** How far `created` may be from `now`, either way; default 60. */
  readonly maxSkewSeconds?: number;
  /**
   * Records a nonce until `expiresAt` (Unix ms): returns true when it was new, false when already recorded (a
   * replay). Called only after the signature verified, so an attacker cannot burn a device's nonces.
   */
  seenNonce(keyId: KeyId, nonce: string, expiresAt: UnixMillis): boolean | Promise<boolean>;
}

/** Who signed a verified request (a device, or a peer node); `created` is in Unix seconds as signed. */
export type VerifiedRequest = SignerKeyId & { readonly created: number };

interface ParsedSignature {
  readonly params: Parameters;
  readonly created: number;
  readonly nonce: string;
  readonly signer: SignerKeyId;
  readonly signature: Uint8Array;
}

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/;

function malformed(message: string, cause?: unknown): AuthError {
  return new AuthError('auth.malformed_signature', message, cause === undefined ? undefined : { cause });
}

/**
 * The `@target-uri` value (RFC 9421 §2.2.2): the absolute URI, normalised by the WHATWG URL parser on both sides
 * so that equivalent spellings (host case, default port, percent-encoding) sign alike. A fragment is never sent
 * and is dropped; credentials in a URL are refused. `null` when the text is not an http(s) URL.
 */
export function targetUri(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username !== '' || parsed.password !== '') return null;
  parsed.hash = '';
  return parsed.href;
}

function components(method: string, target: string, digest: string): { name: string; value: string }[] {
  return [
    { name: '@method', value: method },
    { name: '@target-uri', value: target },
    { name: 'content-digest', value: digest },
  ];
}

/**
 * Signs a request: returns `Content-Digest`, `Signature-Input` and `Signature` (docs/node.md). `created` is
 * `now` in whole seconds. Throws TypeError for a method that is not an HTTP token, a URL that is not absolute
 * http(s), or a key id outside the `<user>/<device>` grammar; RangeError for a nonce that is not 16 bytes.
 *
 * @example
 * const headers = await signRequest(p, { method: 'POST', url: 'https://node.mfa.cy/api/v1/drafts', body, keyId: 'anna/d-1', signingSeed, now: Date.now() });
 * await fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 */
export async function signRequest(p: CryptoProvider, input: SignRequestInput): Promise<SignedRequestHeaders> {
  const { method, url, body, keyId, signingSeed, now } = input;
  if (typeof method !== 'string' || !HTTP_TOKEN.test(method)) throw new TypeError('signRequest: method is not an HTTP token');
  const target = typeof url === 'string' ? targetUri(url) : null;
  if (target === null) throw new TypeError('signRequest: url must be an absolute http(s) URL without credentials');
  if (parseSignerKeyId(keyId) === null) throw new TypeError('signRequest: keyId must be <user>/<device> or node:<NODE>');
  if (!Number.isSafeInteger(now) || now < 0) throw new RangeError('signRequest: now must be non-negative Unix milliseconds');
  const nonce = input.nonce ?? p.randomBytes(RequestSignature.nonceLength);
  if (!(nonce instanceof Uint8Array) || nonce.length !== RequestSignature.nonceLength) throw new RangeError('signRequest: nonce must be 16 bytes');
  const digest = contentDigest(p, body);
  const params: Parameters = new Map<string, BareItem>([
    ['created', { kind: 'integer', value: Math.floor(now / 1000) }],
    ['nonce', { kind: 'string', value: toBase64(nonce) }],
    ['keyid', { kind: 'string', value: keyId }],
    ['alg', { kind: 'string', value: RequestSignature.alg }],
  ]);
  const base = signatureBase(components(method, target, digest), params);
  const signature = await p.ed25519Sign(signingSeed, base);
  return {
    'content-digest': digest,
    'signature-input': `${RequestSignature.label}=${serializeSignatureParams(RequestSignature.components, params)}`,
    signature: `${RequestSignature.label}=:${toBase64(signature)}:`,
  };
}

function header(headers: HeaderLookup, name: string): string | null {
  const value = typeof headers === 'function' ? headers(name) : headers.get(name);
  // RFC 9421 §2.1: a field's value is taken with leading and trailing whitespace removed — SP and HTAB only
  // (RFC 9110 §5.5): String.prototype.trim would also swallow CR, LF and Unicode spaces a hostile peer sent.
  // A loop, not a regex: /[ \t]+$/ backtracks quadratically over a long run of spaces.
  if (typeof value !== 'string') return null;
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}

function dictionary(text: string, what: string): Dictionary {
  try {
    return parseDictionary(text, RequestSignature.maxHeaderLength);
  } catch (cause) {
    throw malformed(`${what} is not a structured-field dictionary of at most ${RequestSignature.maxHeaderLength} chars`, cause);
  }
}

// One member, named sig1: a second signature would be one more thing to verify and one more way to confuse us.
function onlyMember(dict: Dictionary, what: string): Item | InnerList {
  const member = dict.get(RequestSignature.label);
  if (dict.size !== 1 || member === undefined) throw malformed(`${what} must hold exactly one signature, labelled sig1`);
  return member;
}

function stringParam(params: Parameters, name: string): string {
  const v = params.get(name);
  if (v?.kind !== 'string') throw malformed(`signature parameter ${name} must be a string`);
  return v.value;
}

function parseSignatureParams(params: Parameters): Omit<ParsedSignature, 'signature' | 'params'> {
  const names = [...params.keys()];
  if (names.length !== RequestSignature.params.length || !RequestSignature.params.every((n) => params.has(n))) {
    throw malformed('signature parameters must be exactly created, nonce, keyid and alg');
  }
  const created = params.get('created');
  if (created?.kind !== 'integer' || created.value < 0) throw malformed('created must be a non-negative integer');
  const nonce = stringParam(params, 'nonce');
  let nonceBytes: Uint8Array;
  try {
    nonceBytes = fromBase64(nonce);
  } catch (cause) {
    throw malformed('nonce must be base64', cause);
  }
  if (nonceBytes.length !== RequestSignature.nonceLength) throw malformed('nonce must be 16 bytes');
  if (stringParam(params, 'alg') !== RequestSignature.alg) throw malformed('alg must be ed25519');
  const signer = parseSignerKeyId(stringParam(params, 'keyid'));
  if (signer === null) throw malformed('keyid must be <user>/<device> or node:<NODE>');
  return { created: created.value, nonce, signer };
}

function parseSignatureHeaders(headers: HeaderLookup): ParsedSignature {
  const inputText = header(headers, 'signature-input');
  const signatureText = header(headers, 'signature');
  if (inputText === null || signatureText === null) throw new AuthError('auth.missing_signature', 'Signature and Signature-Input are required');
  const input = onlyMember(dictionary(inputText, 'Signature-Input'), 'Signature-Input');
  // RFC 9421 §2.3/§3.2: the covered components are the inner list; we require our exact list, in order, with
  // no component parameters (;sf, ;key, ;req … would change what a line of the base means).
  if (input.kind !== 'inner-list') throw malformed('Signature-Input member must be an inner list');
  const names = input.items.map((i) => (i.value.kind === 'string' && i.params.size === 0 ? i.value.value : null));
  const want: readonly string[] = RequestSignature.components;
  if (names.length !== want.length || names.some((n, i) => n !== want[i])) {
    throw malformed('covered components must be ("@method" "@target-uri" "content-digest")');
  }
  const fields = parseSignatureParams(input.params);
  const sig = onlyMember(dictionary(signatureText, 'Signature'), 'Signature');
  if (sig.kind !== 'item' || sig.value.kind !== 'bytes' || sig.params.size !== 0 || sig.value.value.length !== RequestSignature.signatureLength) {
    throw malformed('Signature member must be a 64-byte byte sequence');
  }
  return { ...fields, params: input.params, signature: sig.value.value };
}

/**
 * Verifies a signed request in the order docs/node.md fixes: parse → clock skew → digest → resolve key →
 * signature → nonce. The nonce is recorded only after the signature verified. Throws AuthError with
 * `auth.missing_signature`, `auth.malformed_signature`, `auth.clock_skew`, `auth.digest_mismatch`,
 * `auth.bad_signature`, `auth.replay`, or whatever AuthError `resolveKey` returns or throws.
 *
 * @example
 * const { user, device } = await parseAndVerifyRequest(p, { method, url, headers: req.headers, body }, {
 *   resolveKey: (keyId) => store.deviceSigningKey(keyId), now: Date.now(), seenNonce: (k, n, until) => store.recordNonce(k, n, until),
 * });
 */
export async function parseAndVerifyRequest(p: CryptoProvider, request: IncomingRequest, policy: VerifyPolicy): Promise<VerifiedRequest> {
  const parsed = parseSignatureHeaders(request.headers);
  const target = typeof request.url === 'string' ? targetUri(request.url) : null;
  if (target === null) throw malformed('request URL is not an absolute http(s) URL');
  if (typeof request.method !== 'string' || !HTTP_TOKEN.test(request.method)) throw malformed('request method is not an HTTP token');

  const skew = policy.maxSkewSeconds ?? RequestSignature.defaultMaxSkewSeconds;
  if (!Number.isSafeInteger(policy.now) || !Number.isSafeInteger(skew) || skew < 0) throw new RangeError('now and maxSkewSeconds must be integers');
  if (Math.abs(policy.now - parsed.created * 1000) > skew * 1000) throw new AuthError('auth.clock_skew', `created is more than ${skew} s from the node's clock`);

  const digest = header(request.headers, ContentDigest.header);
  verifyContentDigest(p, digest, request.body);

  const key = await policy.resolveKey(parsed.signer.keyId);
  if (key instanceof AuthError) throw key;

  const base = signatureBase(components(request.method, target, digest), parsed.params);
  if (!(await p.ed25519Verify(key, base, parsed.signature))) throw new AuthError('auth.bad_signature', 'request signature does not verify');

  // Accepted while now ≤ created + skew, so the nonce must be remembered until then (RFC 9421 §7.2.2).
  const fresh = await policy.seenNonce(parsed.signer.keyId, parsed.nonce, (parsed.created + skew) * 1000);
  if (!fresh) throw new AuthError('auth.replay', 'nonce already used');
  return { ...parsed.signer, created: parsed.created };
}
