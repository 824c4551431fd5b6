// Builds the published envelope vectors (test/vectors/chancery-envelope-v1.json): every input, every random value
// in the order a sealer draws it, every intermediate value and the exact output bytes, so a second implementation
// can check itself step by step. `npm run vectors` writes the file; the vector test rebuilds and compares.
import type { Cable, Classification } from '../../src/cable/types.ts';
import { encodeProtectedPart, encodeRoutingHeader } from '../../src/cable/codec.ts';
import { toBase64, toHex } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { deriveContentKeys } from '../../src/envelope/content.ts';
import { officeWrapInfo, releaseWrapInfo } from '../../src/envelope/wrap-info.ts';
import { signatureMessage } from '../../src/envelope/signatures.ts';
import { sealCable } from '../../src/envelope/seal.ts';
import { paddedLength } from '../../src/envelope/format.ts';
import { deterministicProvider } from './deterministic-provider.ts';
import { buildNetwork, sampleCable, sealInputsFor } from './network.ts';

interface Case {
  readonly name: string;
  readonly cable: Cable;
}

const NODES: Record<string, string> = {
  'EEAS.DEL.WASHINGTON': 'EEAS',
  'EEAS.HQ.AMERICAS': 'EEAS',
  'MFA.CY.AMERICAS': 'MFA.CY',
};

function cases(): Case[] {
  const plain = sampleCable('EEAS.DEL.WASHINGTON', ['EEAS.HQ.AMERICAS'], [], 'UNCLASSIFIED');
  const limited = sampleCable('EEAS.DEL.WASHINGTON', ['EEAS.HQ.AMERICAS'], ['MFA.CY.AMERICAS'], 'LIMITED');
  const withAttachment: Cable = {
    header: { ...limited.header, marking: { classification: 'CONFIDENTIAL', caveats: ['CRYPTO'], releasableTo: ['EU', 'NATO'] } },
    content: {
      ...limited.content,
      references: [`EEAS.HQ.AMERICAS/2026/000042` as Cable['content']['references'][number]],
      attachments: [{ name: 'talking-points.txt', mediaType: 'text/plain', data: new TextEncoder().encode('1. Unity.\n2. Timing.\n') }],
    },
  };
  return [
    { name: 'unclassified-one-node', cable: plain },
    { name: 'limited-two-nodes', cable: limited },
    { name: 'confidential-caveat-attachment', cable: withAttachment },
  ];
}

function cableJson(c: Cable): unknown {
  return { header: c.header, content: { ...c.content, attachments: c.content.attachments.map((a) => ({ ...a, data: toBase64(a.data) })) } };
}

/** Records every random draw so the vector can name each one. */
function recording(base: CryptoProvider): { provider: CryptoProvider; draws: Uint8Array[] } {
  const draws: Uint8Array[] = [];
  return {
    draws,
    provider: { ...base, randomBytes: (n) => { const b = base.randomBytes(n); draws.push(b.slice()); return b; } },
  };
}

async function vectorFor(base: CryptoProvider, c: Case): Promise<Record<string, unknown>> {
  const det = deterministicProvider(base, `chancery-envelope-v1 ${c.name}`);
  const net = await buildNetwork(base, Object.keys(NODES), (code) => NODES[code]!);
  const { recipients, releaseServices } = sealInputsFor(net, c.cable);
  const { provider, draws } = recording(det);
  const sealed = await sealCable(provider, { cable: c.cable, recipients, releaseServices, signers: net.signers });
  const level: Classification = c.cable.header.marking.classification;
  const split = level !== 'UNCLASSIFIED';
  const routing = encodeRoutingHeader(c.cable.header);
  const routingDigest = base.sha256(routing);
  const protectedBytes = encodeProtectedPart(c.cable.content);
  // Draw order (seal.ts): K; per office [s1 if split, then the X-Wing eseed]; per release service its eseed.
  let d = 0;
  const contentKey = draws[d++]!;
  const derived = deriveContentKeys(base, contentKey);
  const offices = recipients.map((r, i) => {
    const firstShare = split ? draws[d++]! : undefined;
    const eseed = draws[d++]!;
    const seed = net.offices.find((o) => o.profile.code === r.office.code)!.keys.get(level)!.secretKey;
    const wrap = sealed.envelope.wraps[i]!;
    return {
      office: r.office.code,
      node: r.office.node,
      epoch: r.epoch,
      epoch_secret_key: toHex(seed),
      epoch_public_key_sha256: toHex(base.sha256(r.publicKey)),
      ...(firstShare ? { first_share: toHex(firstShare) } : {}),
      eseed: toHex(eseed),
      info: toHex(officeWrapInfo(c.cable.header.id, routingDigest, r.office.code, r.level, r.epoch)),
      enc: toHex(wrap.enc),
      cipher_text: toHex(wrap.cipherText),
    };
  });
  const release = sealed.envelope.releaseWraps.map((w) => ({
    node: w.node,
    release_secret_key: toHex(net.releaseKeys.get(w.node)!.secretKey),
    eseed: toHex(draws[d++]!),
    info: toHex(releaseWrapInfo(c.cable.header.id, routingDigest, w.node)),
    enc: toHex(w.enc),
    cipher_text: toHex(w.cipherText),
  }));
  if (d !== draws.length) throw new Error(`vector ${c.name}: ${draws.length - d} random draws unaccounted for`);
  const signers = await Promise.all(
    sealed.envelope.signatures.map(async (s) => ({
      role: s.role,
      user: s.user,
      device: s.device,
      ed25519_public_key: toHex(await net.resolveSigner(s.user, s.device, s.role)),
      message: toHex(signatureMessage(base, s.role, sealed.envelope.headerBytes)),
      signature: toHex(s.signature),
    })),
  );
  return {
    name: c.name,
    cable: cableJson(c.cable),
    routing_header: toHex(routing),
    routing_digest: toHex(routingDigest),
    protected_part: toHex(protectedBytes),
    padded_length: paddedLength(4 + protectedBytes.length),
    content_key: toHex(contentKey),
    content_encryption_key: toHex(derived.encryptionKey),
    content_nonce: toHex(derived.nonce),
    commitment_key: toHex(derived.commitmentKey),
    commitment: toHex(sealed.envelope.header.commitment),
    content: toHex(sealed.envelope.content),
    offices,
    release,
    header: toHex(sealed.envelope.headerBytes),
    signatures: signers,
    envelope: toHex(sealed.bytes),
    envelope_sha256: toHex(base.sha256(sealed.bytes)),
  };
}

/** The whole vector file as a JSON-ready object. */
export async function buildEnvelopeVectors(base: CryptoProvider): Promise<Record<string, unknown>> {
  const vectors = [];
  for (const c of cases()) vectors.push(await vectorFor(base, c));
  return {
    format: 'chancery-envelope-v1',
    description:
      'Chancery envelope format v1 (docs/envelope.md). All byte strings are lower-case hex except attachment data (base64). ' +
      'Random values are listed where the sealer draws them; office and release secret keys are X-Wing seeds; ' +
      'signatures are Ed25519 (deterministic).',
    vectors,
  };
}
