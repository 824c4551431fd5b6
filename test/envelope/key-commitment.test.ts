// The key commitment of envelope step 2 (DESIGN.md "The envelope"), proved against a real attack rather than
// asserted: "one ciphertext can never open to two different texts under two keys".
//
// AES-GCM is not key-committing. Dodis, Grubbs, Ristenpart and Woodage ("Fast Message Franking: From Invisible
// Salamanders to Encryptment", CRYPTO 2018) showed how to build one GCM ciphertext that decrypts, with a valid tag,
// under two keys chosen by the sender; Len, Grubbs and Ristenpart ("Partitioning Oracle Attacks", USENIX Security
// 2021) extended it to many keys. In Chancery a malicious sender could use it to show one office a text and another
// office a different one under the same signed envelope: both read "the same cable" and neither can tell. The
// commitment (an HMAC under a key derived from K, in the signed header) is the fix that Albertini, Duong, Gueron,
// Kölbl, Luykx and Schmieg ("How to Abuse and Fix Authenticated Encryption Without Key Commitment", USENIX Security
// 2022) and Bellare and Hoang ("Efficient Schemes for Committing Authenticated Encryption", EUROCRYPT 2022) describe:
// only the one K the sender committed to may decrypt.
//
// So the test builds the collision for real (test/support/gcm-collision.ts), shows raw AES-256-GCM accepts it under
// both keys, wraps it in an envelope a malicious but legitimate sender could produce — valid manifest, digest and
// both role signatures, K1 wrapped to one office and K2 to another — and shows openCable lets only the committed key
// reach the AEAD.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { equalBytes, utf8 } from '../../src/bytes.ts';
import type { Attachment, Cable, OfficeCode } from '../../src/cable/types.ts';
import { encodeProtectedPart, encodeRoutingHeader } from '../../src/cable/codec.ts';
import { OpenError } from '../../src/errors.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal } from '../../src/crypto/hpke.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { decodeEnvelope, encodeEnvelope, encodeSealedHeader } from '../../src/envelope/codec.ts';
import { computeCommitment, deriveContentKeys, pad, unpad, type ContentKeys } from '../../src/envelope/content.ts';
import { paddedLength } from '../../src/envelope/format.ts';
import { openCable } from '../../src/envelope/open.ts';
import { sealCable } from '../../src/envelope/seal.ts';
import { signatureMessage } from '../../src/envelope/signatures.ts';
import type { CableSignature, Envelope, OfficeWrap } from '../../src/envelope/types.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { officeWrapInfo } from '../../src/envelope/wrap-info.ts';
import { blockToBigInt, collideGcm, gcmTag, GF_ONE, gfInv, gfMul } from '../support/gcm-collision.ts';
import { buildNetwork, officeOf, sampleCable, sealInputsFor, type TestNetwork } from '../support/network.ts';

const SENDER = 'EEAS.DEL.WASHINGTON';
const OFFICE_A = 'EEAS.HQ.AMERICAS';
const OFFICE_B = 'MFA.CY.AMERICAS';
const NODE: Record<string, string> = { [SENDER]: 'EEAS', [OFFICE_A]: 'EEAS', [OFFICE_B]: 'MFA.CY' };
const BLOCK = 16;
const EMPTY = new Uint8Array(0);

// UNCLASSIFIED: the content key is wrapped to each office directly (no release-service share), so the wrap an
// office opens is exactly the K the sender chose for it.
const ATTACHMENT: Attachment = {
  name: 'annex-a.bin',
  mediaType: 'application/octet-stream',
  data: Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff),
};
const CABLE: Cable = (() => {
  const c = sampleCable(SENDER, [OFFICE_A, OFFICE_B], [], 'UNCLASSIFIED');
  return { ...c, content: { ...c.content, attachments: [ATTACHMENT] } };
})();

// Two fixed, distinct content keys: the test is deterministic.
const K1 = p.shake256(utf8('chancery test: key commitment K1'), 32);
const K2 = p.shake256(utf8('chancery test: key commitment K2'), 32);

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A provider that records every AEAD opening: its key and whether the tag was accepted. */
interface AeadCall {
  readonly key: Uint8Array;
  accepted: boolean;
}
function recordingProvider(calls: AeadCall[]): CryptoProvider {
  return {
    ...p,
    async aeadOpen(alg, key, nonce, aad, sealed) {
      const call: AeadCall = { key: key.slice(), accepted: false }; // copied: openCable wipes its keys afterwards
      calls.push(call);
      const out = await p.aeadOpen(alg, key, nonce, aad, sealed);
      call.accepted = true;
      return out;
    },
  };
}
/** The outcomes of the content AEAD under `keys` (HPKE's own AEAD openings of the wrap use other keys). */
function contentOpenings(calls: readonly AeadCall[], keys: ContentKeys): boolean[] {
  return calls.filter((c) => equalBytes(c.key, keys.encryptionKey)).map((c) => c.accepted);
}

let net: TestNetwork;
let genuine: Envelope;
let routing: Uint8Array;
let routingDigest: Uint8Array;
let keys1: ContentKeys;
let keys2: ContentKeys;
let padded: Uint8Array; // what an honest sealer would encrypt: pad(protected part), 1024 bytes
let freeBlock: number;
let dataStart: number; // offset of the attachment's bytes inside `padded`
let crafted: Uint8Array; // ciphertext ‖ tag, valid under both keys

before(async () => {
  net = await buildNetwork(p, [SENDER, OFFICE_A, OFFICE_B], (code) => NODE[code]!, ['UNCLASSIFIED']);
  const { recipients, releaseServices } = sealInputsFor(net, CABLE);
  genuine = (await sealCable(p, { cable: CABLE, recipients, releaseServices, signers: net.signers })).envelope;
  // The associated data is the routing header of a real cable, byte for byte what the sealer used.
  routing = encodeRoutingHeader(CABLE.header);
  assert.deepEqual(genuine.header.routing, routing);
  routingDigest = p.sha256(routing);
  keys1 = deriveContentKeys(p, K1);
  keys2 = deriveContentKeys(p, K2);
  assert.ok(!equalBytes(keys1.encryptionKey, keys2.encryptionKey) && !equalBytes(keys1.nonce, keys2.nonce));

  // The plaintext for office A is the honest padded layout (length prefix ‖ CBOR ‖ zeros, paddedLength(4 + n)).
  const protectedBytes = encodeProtectedPart(CABLE.content);
  padded = pad(protectedBytes);
  assert.equal(padded.length, paddedLength(4 + protectedBytes.length));
  assert.equal(padded.length, 1024); // 64 blocks, of which one is left free
  // The free block lies wholly inside the attachment's raw bytes, so whatever it decrypts to under K1 is still a
  // well-formed protected part: office A reads a complete, valid cable.
  dataStart = indexOf(padded, ATTACHMENT.data);
  assert.ok(dataStart > 0);
  freeBlock = Math.ceil(dataStart / BLOCK);
  assert.ok((freeBlock + 1) * BLOCK <= dataStart + ATTACHMENT.data.length);

  // Every other block is the honest encryption under K1; the free block is then solved for a tag valid under both.
  const honest = await p.aeadSeal('aes-256-gcm', keys1.encryptionKey, keys1.nonce, routing, padded);
  crafted = collideGcm(
    { key: keys1.encryptionKey, nonce: keys1.nonce },
    { key: keys2.encryptionKey, nonce: keys2.nonce },
    routing,
    honest.subarray(0, padded.length),
    freeBlock,
  );
});

/** The envelope a malicious sender builds around the crafted ciphertext, committing to `committed`. */
async function maliciousEnvelope(committed: ContentKeys): Promise<Envelope> {
  const wraps: OfficeWrap[] = [];
  for (const m of genuine.header.manifest) {
    // K2 for office B; K1 for office A and for the sender's own office.
    const key = m.office === OFFICE_B ? K2 : K1;
    const info = officeWrapInfo(CABLE.header.id, routingDigest, m.office, m.level, m.epoch);
    const publicKey = officeOf(net, m.office).keys.get(m.level)!.publicKey;
    const sealed = await hpkeSeal(p, CHANCERY_SUITE, publicKey, info, EMPTY, key);
    wraps.push({ office: m.office, enc: sealed.enc, cipherText: sealed.cipherText });
  }
  const headerBytes = encodeSealedHeader({
    ...genuine.header,
    commitment: computeCommitment(p, committed, routingDigest),
    contentLength: crafted.length,
    contentDigest: p.sha256(crafted),
  });
  // The sender's own devices sign: a legitimate drafter and releaser gone bad, so every signature is genuine.
  const signatures: CableSignature[] = [];
  for (const s of net.signers) {
    signatures.push({ role: s.role, user: s.user, device: s.device, signature: await s.sign(signatureMessage(p, s.role, headerBytes)) });
  }
  const envelope = { headerBytes, header: genuine.header, signatures, content: crafted, wraps, releaseWraps: [] };
  // Through the wire format, as a reader would receive it (this also re-parses the new header).
  return decodeEnvelope(encodeEnvelope(envelope));
}

async function openAs(envelope: Envelope, office: string, calls: AeadCall[]): Promise<Cable> {
  const verified = await verifyEnvelope(p, envelope, net.resolveSigner);
  const secretKey = officeOf(net, office).keys.get('UNCLASSIFIED')!.secretKey;
  return openCable(recordingProvider(calls), verified, { office: office as OfficeCode, epoch: 1, secretKey });
}

async function wrappedKey(envelope: Envelope, office: string): Promise<Uint8Array> {
  const i = envelope.wraps.findIndex((w) => w.office === office);
  const m = envelope.header.manifest[i]!;
  const info = officeWrapInfo(CABLE.header.id, routingDigest, m.office, m.level, m.epoch);
  return hpkeOpen(p, CHANCERY_SUITE, officeOf(net, office).keys.get('UNCLASSIFIED')!.secretKey, envelope.wraps[i]!, info, EMPTY);
}

describe('key commitment against an AES-GCM multi-key collision (invisible salamanders)', () => {
  it('the GF(2^128) arithmetic of the collision helper agrees with node:crypto AES-GCM', async () => {
    // Odd lengths exercise GHASH's zero padding of both the associated data and the ciphertext.
    const aad = routing.subarray(0, 37);
    const sealed = await p.aeadSeal('aes-256-gcm', keys1.encryptionKey, keys1.nonce, aad, padded.subarray(0, 50));
    assert.deepEqual(gcmTag(keys1.encryptionKey, keys1.nonce, aad, sealed.subarray(0, 50)), sealed.subarray(50));
    const x = blockToBigInt(keys2.commitmentKey);
    assert.equal(gfMul(x, gfInv(x)), GF_ONE);
  });

  it('raw AES-256-GCM opens the crafted ciphertext under both keys, to two different texts', async () => {
    assert.equal(crafted.length, 1024 + BLOCK);
    const p1 = await p.aeadOpen('aes-256-gcm', keys1.encryptionKey, keys1.nonce, routing, crafted);
    const p2 = await p.aeadOpen('aes-256-gcm', keys2.encryptionKey, keys2.nonce, routing, crafted);
    assert.equal(p1.length, 1024);
    assert.equal(p2.length, 1024);
    assert.ok(!equalBytes(p1, p2), 'one ciphertext, two plaintexts: the AEAD alone does not bind the key');
    // Under K1 it is the honest layout except the one solved block (inside the attachment's bytes).
    for (let b = 0; b < 64; b++) {
      const same = equalBytes(p1.subarray(b * BLOCK, (b + 1) * BLOCK), padded.subarray(b * BLOCK, (b + 1) * BLOCK));
      assert.equal(same, b !== freeBlock, `block ${b}`);
    }
    // Not a quirk of the provider: one flipped bit and neither key accepts it.
    const flipped = crafted.slice();
    flipped[5]! ^= 1;
    await assert.rejects(() => p.aeadOpen('aes-256-gcm', keys1.encryptionKey, keys1.nonce, routing, flipped), { code: 'crypto.decrypt_failed' });
    await assert.rejects(() => p.aeadOpen('aes-256-gcm', keys2.encryptionKey, keys2.nonce, routing, flipped), { code: 'crypto.decrypt_failed' });
  });

  it('signed and committed to K1: every public check passes, office B is refused before decryption, office A reads', async () => {
    const envelope = await maliciousEnvelope(keys1);
    await verifyEnvelope(p, envelope, net.resolveSigner); // manifest, digest, both signatures: all genuine
    // B's wrap really carries K2, so B's refusal is not a broken wrap: it is the commitment.
    assert.deepEqual(await wrappedKey(envelope, OFFICE_B), K2);
    assert.deepEqual(await wrappedKey(envelope, OFFICE_A), K1);

    // 'open.failed' alone would not prove the commitment works: without it, B would pass the tag and then fail in
    // unpad (K2's plaintext is noise, see the converse below) with the same code. What shows the commitment is that
    // B's content key never reaches the AEAD; with the checkCommitment call removed from openCable this test fails.
    const bCalls: AeadCall[] = [];
    await assert.rejects(() => openAs(envelope, OFFICE_B, bCalls), (e: unknown) => e instanceof OpenError && e.code === 'open.failed');
    assert.deepEqual(contentOpenings(bCalls, keys2), [], 'B never reached the AEAD: the commitment check stopped it');

    // A gets past the commitment and the tag, and since the solved block sits inside the attachment's raw bytes
    // the padded layout and the canonical CBOR are intact: A reads a complete cable whose attachment differs from
    // the drafted one only in those 16 bytes (the price of the collision, chosen by the sender).
    const aCalls: AeadCall[] = [];
    const opened = await openAs(envelope, OFFICE_A, aCalls);
    assert.deepEqual(contentOpenings(aCalls, keys1), [true]);
    const p1 = await p.aeadOpen('aes-256-gcm', keys1.encryptionKey, keys1.nonce, routing, crafted);
    const data = ATTACHMENT.data.slice();
    const at = freeBlock * BLOCK;
    data.set(p1.subarray(at, at + BLOCK), at - dataStart);
    assert.deepEqual(opened, { header: CABLE.header, content: { ...CABLE.content, attachments: [{ ...ATTACHMENT, data }] } });
    // The sender's own office holds K1 too and reads the same.
    assert.deepEqual(await openAs(envelope, SENDER, []), opened);
  });

  it('conversely, committed to K2: office A is refused before decryption, office B passes the commitment and the tag', async () => {
    const envelope = await maliciousEnvelope(keys2);
    await verifyEnvelope(p, envelope, net.resolveSigner);

    const aCalls: AeadCall[] = [];
    await assert.rejects(() => openAs(envelope, OFFICE_A, aCalls), (e: unknown) => e instanceof OpenError && e.code === 'open.failed');
    assert.deepEqual(contentOpenings(aCalls, keys1), [], 'A never reached the AEAD: the commitment check stopped it');

    // B passes the commitment and AES-GCM accepts the tag under K2 (the collision is real), but what K2 decrypts to
    // is the block cipher's noise, not a padded protected part: its length prefix is out of range, so unpad refuses
    // it and openCable reports the one coarse 'open.failed'. Refused after decryption, unlike A, and for the format.
    const p2 = await p.aeadOpen('aes-256-gcm', keys2.encryptionKey, keys2.nonce, routing, crafted);
    assert.throws(() => unpad(p2), { code: 'open.failed' });
    const bCalls: AeadCall[] = [];
    await assert.rejects(() => openAs(envelope, OFFICE_B, bCalls), (e: unknown) => e instanceof OpenError && e.code === 'open.failed');
    assert.deepEqual(contentOpenings(bCalls, keys2), [true], 'B got past the commitment and the tag');
  });
});
