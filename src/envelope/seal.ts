// Sealing a released cable (DESIGN.md "The envelope" steps 1–5): encrypt the padded protected part under a fresh
// content key, wrap the key (or, LIMITED and above, a first share) once per addressed office, wrap the second
// shares once per hosting node's release service, and sign the header in each signer's role.
import type { Cable, Classification, NodeName, OfficeCode } from '../cable/types.ts';
import { assertValidCable } from '../cable/validate.ts';
import { encodeProtectedPart, encodeRoutingHeader } from '../cable/codec.ts';
import { wipe, xorBytes } from '../bytes.ts';
import { SealError } from '../errors.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { CHANCERY_SUITE, hpkeSeal } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { mayReceive } from '../policy/receive.ts';
import type { PolicyOffice } from '../policy/subjects.ts';
import { decodeSealedHeader, encodeEnvelope, encodeSealedHeader } from './codec.ts';
import { CONTENT_KEY_LENGTH, computeCommitment, deriveContentKeys, destroyContentKeys, encryptContent } from './content.ts';
import { officeWrapInfo, releaseWrapInfo } from './wrap-info.ts';
import { signatureMessage, type CableSigner } from './signatures.ts';
import { requiresRelease, Roles } from './format.ts';
import type { CableSignature, Envelope, ManifestEntry, OfficeWrap, ReleaseEntry, ReleaseWrap } from './types.ts';

/** An addressed office: its policy profile and its open key epoch for the cable's level. */
export interface SealRecipient {
  readonly office: PolicyOffice;
  readonly epoch: number;
  readonly level: Classification;
  /** X-Wing public key of the office's epoch for `level`. */
  readonly publicKey: Uint8Array;
  /** False once the epoch is closed: senders refuse it (DESIGN.md step 3). */
  readonly open: boolean;
}

/** A release service's X-Wing public key, from its node certificate. */
export interface ReleaseServiceKey {
  readonly node: NodeName;
  readonly publicKey: Uint8Array;
}

export interface SealInput {
  readonly cable: Cable;
  /** Exactly one per office in from ∪ to ∪ info. */
  readonly recipients: readonly SealRecipient[];
  /** One per node hosting an addressed office; required from LIMITED up. */
  readonly releaseServices: readonly ReleaseServiceKey[];
  readonly signers: readonly CableSigner[];
}

export interface SealedCable {
  readonly envelope: Envelope;
  readonly bytes: Uint8Array;
}

/** Offices in manifest order: the originator first (so its side can always read what it sent), then to, then info. */
function addressedOffices(cable: Cable): OfficeCode[] {
  return [cable.header.from, ...cable.header.to, ...cable.header.info];
}

function matchRecipients(cable: Cable, recipients: readonly SealRecipient[]): SealRecipient[] {
  const level = cable.header.marking.classification;
  const byOffice = new Map<string, SealRecipient>();
  for (const r of recipients) {
    if (byOffice.has(r.office.code)) throw new SealError('seal.invalid_input', `two keys given for office ${r.office.code}`);
    byOffice.set(r.office.code, r);
  }
  const offices = addressedOffices(cable);
  if (byOffice.size !== offices.length) throw new SealError('seal.invalid_input', 'recipients must be exactly the addressed offices');
  return offices.map((code) => {
    const r = byOffice.get(code);
    if (!r) throw new SealError('seal.invalid_input', `no key given for addressed office ${code}`);
    if (r.level !== level) throw new SealError('seal.invalid_input', `key of ${code} is for ${r.level}, not ${level}`);
    if (!r.open) throw new SealError('seal.epoch_closed', `epoch ${r.epoch} of ${code} is closed`);
    const decision = mayReceive(r.office, cable.header.marking);
    if (!decision.allowed) {
      throw new SealError('seal.policy_denied', `${code} may not receive this cable: ${decision.reasons.map((x) => x.code).join(', ')}`);
    }
    return r;
  });
}

function releaseGroups(p: CryptoProvider, recipients: readonly SealRecipient[], services: readonly ReleaseServiceKey[]) {
  const keys = new Map(services.map((s) => [s.node as string, s.publicKey]));
  const groups = new Map<string, { node: NodeName; publicKey: Uint8Array; offices: OfficeCode[] }>();
  for (const r of recipients) {
    const node = r.office.node;
    const publicKey = keys.get(node);
    if (!publicKey) throw new SealError('seal.invalid_input', `no release-service key for node ${node}`);
    const group = groups.get(node) ?? { node, publicKey, offices: [] };
    group.offices.push(r.office.code);
    groups.set(node, group);
  }
  return [...groups.values()].map((g) => ({ ...g, entry: { node: g.node, keyHash: p.sha256(g.publicKey), offices: g.offices } satisfies ReleaseEntry }));
}

/**
 * Seals a cable. Validates it, checks every addressed office may receive it and holds an open epoch, and refuses
 * anything else with a `SealError`. Randomness comes from `p.randomBytes` only (a deterministic provider
 * reproduces test/vectors/chancery-envelope-v1.json).
 */
export async function sealCable(p: CryptoProvider, input: SealInput): Promise<SealedCable> {
  const cable = assertValidCable(input.cable);
  const recipients = matchRecipients(cable, input.recipients);
  const split = requiresRelease(cable.header.marking);
  const groups = split ? releaseGroups(p, recipients, input.releaseServices) : [];
  const routing = encodeRoutingHeader(cable.header);
  const routingDigest = p.sha256(routing);
  const protectedBytes = encodeProtectedPart(cable.content);
  const contentKey = p.randomBytes(CONTENT_KEY_LENGTH);
  const keys = deriveContentKeys(p, contentKey);
  const secondShares = new Map<string, Uint8Array>();
  try {
    const content = await encryptContent(p, keys, routing, protectedBytes);
    const wraps: OfficeWrap[] = [];
    for (const r of recipients) {
      let keyMaterial = contentKey;
      if (split) {
        // DESIGN.md step 4: s1 ⊕ s2 = K, fresh per office, so one office's s1 says nothing about another's.
        keyMaterial = p.randomBytes(CONTENT_KEY_LENGTH);
        secondShares.set(r.office.code, xorBytes(contentKey, keyMaterial));
      }
      const info = officeWrapInfo(cable.header.id, routingDigest, r.office.code, r.level, r.epoch);
      const sealed = await hpkeSeal(p, CHANCERY_SUITE, r.publicKey, info, new Uint8Array(0), keyMaterial);
      if (split) wipe(keyMaterial);
      wraps.push({ office: r.office.code, enc: sealed.enc, cipherText: sealed.cipherText });
    }
    const releaseWraps: ReleaseWrap[] = [];
    for (const g of groups) {
      const bundle = encodeCanonical({ shares: g.offices.map((office) => ({ office, share: secondShares.get(office)! })) });
      const info = releaseWrapInfo(cable.header.id, routingDigest, g.node);
      const sealed = await hpkeSeal(p, CHANCERY_SUITE, g.publicKey, info, new Uint8Array(0), bundle);
      wipe(bundle);
      releaseWraps.push({ node: g.node, enc: sealed.enc, cipherText: sealed.cipherText });
    }
    const manifest: ManifestEntry[] = recipients.map((r) => ({
      office: r.office.code,
      node: r.office.node,
      level: r.level,
      epoch: r.epoch,
      keyHash: p.sha256(r.publicKey),
    }));
    const headerBytes = encodeSealedHeader({
      routing,
      commitment: computeCommitment(p, keys, routingDigest),
      manifest,
      release: groups.map((g) => g.entry),
      contentLength: content.length,
      contentDigest: p.sha256(content),
    });
    const signatures = await signHeader(p, headerBytes, input.signers);
    // The header is re-read from its own bytes so the in-memory envelope is exactly what a reader will parse.
    const envelope: Envelope = { headerBytes, header: decodeSealedHeader(headerBytes), signatures, content, wraps, releaseWraps };
    return { envelope, bytes: encodeEnvelope(envelope) };
  } finally {
    wipe(contentKey, protectedBytes, ...secondShares.values());
    destroyContentKeys(keys);
  }
}

async function signHeader(p: CryptoProvider, headerBytes: Uint8Array, signers: readonly CableSigner[]): Promise<CableSignature[]> {
  let out: CableSignature[] = [];
  for (const s of signers) out = await addSignature(p, headerBytes, out, s);
  return out;
}

/**
 * Adds one role's signature to those an envelope already carries (a countersignature: the releaser's device may
 * seal, and the drafter's sign afterwards). Signatures are kept in role order; one per role.
 */
export async function addSignature(
  p: CryptoProvider,
  headerBytes: Uint8Array,
  existing: readonly CableSignature[],
  signer: CableSigner,
): Promise<CableSignature[]> {
  if (existing.some((s) => s.role === signer.role)) throw new SealError('seal.invalid_input', `already signed as ${signer.role}`);
  const signature = await signer.sign(signatureMessage(p, signer.role, headerBytes));
  const entry: CableSignature = { role: signer.role, user: signer.user, device: signer.device, signature };
  return [...existing, entry].sort((a, b) => Roles.indexOf(a.role) - Roles.indexOf(b.role));
}

