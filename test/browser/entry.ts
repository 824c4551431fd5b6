// Browser entry for core-in-chromium.test.ts: the pure core (cable, crypto, policy, envelope) behind a few functions
// that take and return plain JSON (hex, base64), so page.evaluate carries no class instances across. Bundled by
// esbuild for platform 'browser' as the global `chancery`; Node imports the same file for the JSON helpers.
// It imports nothing but the core: a node: import anywhere beneath it fails the browser build.
import { renderTelegram, type Cable, type Classification, type DeviceId, type NodeName, type OfficeCode, type UserId } from '../../src/cable/index.ts';
import { fromBase64, fromHex, toBase64, toHex } from '../../src/bytes.ts';
import { VerificationError } from '../../src/errors.ts';
import { webProvider as p } from '../../src/crypto/web-provider.ts';
import { xwingKeyPairFromSeed } from '../../src/crypto/xwing.ts';
import { mayReceive, type PolicyOffice } from '../../src/policy/index.ts';
import { sealCable } from '../../src/envelope/seal.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openCable, openReleaseShares } from '../../src/envelope/open.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { ed25519Signer, type CableSigner, type SignerKeyResolver } from '../../src/envelope/signatures.ts';
import type { Role } from '../../src/envelope/format.ts';

/** A cable as JSON: attachment data in base64, the shape test/vectors/chancery-envelope-v1.json uses. */
export interface CableJson {
  readonly header: Cable['header'];
  readonly content: Omit<Cable['content'], 'attachments'> & {
    readonly attachments: readonly { readonly name: string; readonly mediaType: string; readonly data: string }[];
  };
}

/** A signing device's public key (hex). */
export interface SignerJson {
  readonly role: Role;
  readonly user: string;
  readonly device: string;
  readonly publicKey: string;
}

/** An office's X-Wing key pair for one epoch and level (hex; the secret key is the 32-byte seed). */
export interface OfficeKeyJson {
  readonly office: string;
  readonly node: string;
  readonly epoch: number;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** A release service's X-Wing key pair (hex). */
export interface ReleaseKeyJson {
  readonly node: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** What the browser sealed, with every key it generated for it. */
export interface BrowserSealed {
  readonly envelope: string;
  readonly offices: readonly OfficeKeyJson[];
  readonly releaseServices: readonly ReleaseKeyJson[];
  readonly signers: readonly SignerJson[];
}

/** Everything one office's reader needs to open an envelope (hex). */
export interface OpenRequest {
  readonly envelope: string;
  readonly signers: readonly SignerJson[];
  readonly office: string;
  readonly epoch: number;
  readonly secretKey: string;
  readonly releaseShare: string;
}

/** The fields of a published envelope vector a reader needs (test/vectors/chancery-envelope-v1.json). */
export interface EnvelopeVectorJson {
  readonly name: string;
  readonly envelope: string;
  readonly offices: readonly { readonly office: string; readonly epoch: number; readonly epoch_secret_key: string }[];
  readonly release: readonly { readonly node: string; readonly release_secret_key: string }[];
  readonly signatures: readonly { readonly role: Role; readonly user: string; readonly device: string; readonly ed25519_public_key: string }[];
}

export function cableToJson(c: Cable): CableJson {
  return { header: c.header, content: { ...c.content, attachments: c.content.attachments.map((a) => ({ ...a, data: toBase64(a.data) })) } };
}

export function cableFromJson(c: CableJson): Cable {
  return { header: c.header, content: { ...c.content, attachments: c.content.attachments.map((a) => ({ ...a, data: fromBase64(a.data) })) } };
}

/** A resolver over a fixed list of device keys; unknown devices are refused as the key directory would. */
export function resolverOf(signers: readonly SignerJson[]): SignerKeyResolver {
  const keys = new Map(signers.map((s) => [`${s.user}/${s.device}`, fromHex(s.publicKey)]));
  return (user, device) => {
    const key = keys.get(`${user}/${device}`);
    if (!key) throw new VerificationError('verify.untrusted_key', `unknown device ${user}/${device}`);
    return key;
  };
}

/** The string code of a Chancery error, or a description of anything else (so a surprise shows in the assertion). */
function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return `not a Chancery error: ${String(error)}`;
}

async function keyPairJson(): Promise<{ publicKey: string; secretKey: string }> {
  const pair = await xwingKeyPairFromSeed(p, p.randomBytes(32));
  return { publicKey: toHex(pair.publicKey), secretKey: toHex(pair.secretKey) };
}

async function browserSigner(role: Role, user: UserId): Promise<{ signer: CableSigner; json: SignerJson }> {
  const seed = p.randomBytes(32);
  const device = `d-browser-${role}` as DeviceId;
  const json = { role, user, device, publicKey: toHex(await p.ed25519PublicKey(seed)) };
  return { signer: ed25519Signer(p, role, user, device, seed), json };
}

/**
 * Generates fresh keys in the browser (X-Wing for every addressed office and release service, Ed25519 for drafter
 * and releaser), checks policy lets every office receive the cable, and seals it with the WebCrypto provider.
 */
export async function sealInBrowser(cable: CableJson, offices: readonly { code: string; node: string }[]): Promise<BrowserSealed> {
  const c = cableFromJson(cable);
  const level: Classification = c.header.marking.classification;
  const officeKeys: OfficeKeyJson[] = [];
  const releaseKeys = new Map<string, ReleaseKeyJson>();
  for (const o of offices) {
    officeKeys.push({ office: o.code, node: o.node, epoch: 1, ...(await keyPairJson()) });
    if (!releaseKeys.has(o.node)) releaseKeys.set(o.node, { node: o.node, ...(await keyPairJson()) });
  }
  const recipients = officeKeys.map((k) => {
    const office: PolicyOffice = { code: k.office as OfficeCode, node: k.node as NodeName, ceiling: 'SECRET', communities: ['EU'] };
    const decision = mayReceive(office, c.header.marking);
    if (!decision.allowed) throw new Error(`policy refuses ${k.office}: ${decision.reasons.map((r) => r.code).join(', ')}`);
    return { office, epoch: k.epoch, level, publicKey: fromHex(k.publicKey), open: true };
  });
  const releaseServices = [...releaseKeys.values()].map((r) => ({ node: r.node as NodeName, publicKey: fromHex(r.publicKey) }));
  const drafter = await browserSigner('drafter', c.header.drafter);
  const releaser = await browserSigner('releaser', c.header.releaser);
  const sealed = await sealCable(p, { cable: c, recipients, releaseServices, signers: [drafter.signer, releaser.signer] });
  return { envelope: toHex(sealed.bytes), offices: officeKeys, releaseServices: [...releaseKeys.values()], signers: [drafter.json, releaser.json] };
}

async function verifiedOf(envelopeHex: string, signers: readonly SignerJson[]) {
  return verifyEnvelope(p, decodeEnvelope(fromHex(envelopeHex)), resolverOf(signers));
}

/** Shows text in the page's `<pre id="telegram">` (for the screenshot). */
function show(text: string): void {
  const pre = globalThis.document?.getElementById('telegram');
  if (pre) pre.textContent = text;
}

/** Verifies and opens an envelope as one office, renders the telegram, and shows it on the page. */
export async function openInBrowser(req: OpenRequest): Promise<{ cable: CableJson; telegram: string }> {
  const verified = await verifiedOf(req.envelope, req.signers);
  const cable = await openCable(p, verified, {
    office: req.office as OfficeCode,
    epoch: req.epoch,
    secretKey: fromHex(req.secretKey),
    releaseShare: fromHex(req.releaseShare),
  });
  const telegram = renderTelegram(cable);
  show(telegram);
  return { cable: cableToJson(cable), telegram };
}

/** Decodes, verifies and opens a published vector for every office in it; returns the cables opened, in order. */
export async function openVectorInBrowser(v: EnvelopeVectorJson): Promise<CableJson[]> {
  const signers = v.signatures.map((s) => ({ role: s.role, user: s.user, device: s.device, publicKey: s.ed25519_public_key }));
  const verified = await verifiedOf(v.envelope, signers);
  const shares = new Map<string, Uint8Array>();
  for (const r of v.release) {
    for (const [office, share] of await openReleaseShares(p, verified, r.node as NodeName, fromHex(r.release_secret_key))) shares.set(office, share);
  }
  const opened: CableJson[] = [];
  for (const o of v.offices) {
    const releaseShare = shares.get(o.office);
    const cable = await openCable(p, verified, {
      office: o.office as OfficeCode,
      epoch: o.epoch,
      secretKey: fromHex(o.epoch_secret_key),
      ...(releaseShare ? { releaseShare } : {}),
    });
    opened.push(cableToJson(cable));
  }
  return opened;
}

/**
 * The refusals, as error codes: the envelope with one ciphertext byte flipped fails verification, and the right
 * office key with a release share one bit off fails to open.
 */
export async function refusalsInBrowser(req: OpenRequest): Promise<{ tamperedCiphertext: string; wrongShare: string }> {
  const envelope = decodeEnvelope(fromHex(req.envelope));
  const content = envelope.content.slice();
  content[Math.floor(content.length / 2)]! ^= 0x01;
  let tamperedCiphertext = 'accepted';
  try {
    await verifyEnvelope(p, { ...envelope, content }, resolverOf(req.signers));
  } catch (error) {
    tamperedCiphertext = codeOf(error);
  }
  const verified = await verifiedOf(req.envelope, req.signers);
  const releaseShare = fromHex(req.releaseShare);
  releaseShare[0]! ^= 0x01;
  let wrongShare = 'opened';
  try {
    await openCable(p, verified, { office: req.office as OfficeCode, epoch: req.epoch, secretKey: fromHex(req.secretKey), releaseShare });
  } catch (error) {
    wrongShare = codeOf(error);
  }
  return { tamperedCiphertext, wrongShare };
}

/** Which provider the bundle runs on, and whether WebCrypto is the page's own (a secure context). */
export function environment(): { provider: string; secureContext: boolean; userAgent: string } {
  return { provider: p.name, secureContext: globalThis.isSecureContext, userAgent: globalThis.navigator.userAgent };
}
