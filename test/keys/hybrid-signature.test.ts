// Hybrid Ed25519 + ML-DSA-65 signatures: valid only when both halves verify, under every provider and across them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../../src/bytes.ts';
import {
  HybridLengths,
  generateHybridSigningKey,
  hybridSigningKeyFromSeeds,
  signHybrid,
  verifyHybrid,
  wipeHybridSecret,
} from '../../src/crypto/hybrid-signature.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import { Labels, labelledMessage } from '../../src/keys/labels.ts';
import { flipped, seed } from './fixtures.ts';

const message = labelledMessage(Labels.nodeCertificate, { v: 1, node: 'MFA.CY' });

describe('hybrid signatures', () => {
  for (const p of [nodeProvider, nobleProvider]) {
    it(`signs with both halves and verifies only when both verify [${p.name}]`, async () => {
      const key = await hybridSigningKeyFromSeeds(p, seed(1), seed(2));
      const other = await hybridSigningKeyFromSeeds(p, seed(3), seed(4));
      const sig = await signHybrid(p, key.secret, message);
      assert.equal(sig.ed25519.length, HybridLengths.ed25519Signature);
      assert.equal(sig.mlDsa65.length, HybridLengths.mlDsa65Signature);
      assert.equal(await verifyHybrid(p, key.public, message, sig), true);

      const otherSig = await signHybrid(p, other.secret, message);
      const elsewhere = await signHybrid(p, key.secret, utf8('another message'));
      // Only the Ed25519 half valid: an ML-DSA signature by another key, over another message, or one byte off.
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: sig.ed25519, mlDsa65: otherSig.mlDsa65 }), false);
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: sig.ed25519, mlDsa65: elsewhere.mlDsa65 }), false);
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: sig.ed25519, mlDsa65: flipped(sig.mlDsa65) }), false);
      // Only the ML-DSA half valid.
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: otherSig.ed25519, mlDsa65: sig.mlDsa65 }), false);
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: flipped(sig.ed25519), mlDsa65: sig.mlDsa65 }), false);
      // A key with one half swapped, the message one byte off, wrong lengths.
      assert.equal(await verifyHybrid(p, { ed25519: key.public.ed25519, mlDsa65: other.public.mlDsa65 }, message, sig), false);
      assert.equal(await verifyHybrid(p, { ed25519: other.public.ed25519, mlDsa65: key.public.mlDsa65 }, message, sig), false);
      assert.equal(await verifyHybrid(p, key.public, flipped(message), sig), false);
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: sig.ed25519.subarray(1), mlDsa65: sig.mlDsa65 }), false);
      assert.equal(await verifyHybrid(p, key.public, message, { ed25519: sig.ed25519, mlDsa65: sig.mlDsa65.subarray(1) }), false);
      assert.equal(await verifyHybrid(p, { ed25519: key.public.ed25519, mlDsa65: key.public.mlDsa65.subarray(1) }, message, sig), false);
    });

    it(`derives the same key from the same seeds and wipes secrets [${p.name}]`, async () => {
      const a = await hybridSigningKeyFromSeeds(p, seed(5), seed(6));
      const b = await hybridSigningKeyFromSeeds(p, seed(5), seed(6));
      assert.deepEqual(a.public, b.public);
      const fresh = await generateHybridSigningKey(p);
      assert.equal(fresh.public.ed25519.length, HybridLengths.ed25519Public);
      assert.equal(fresh.public.mlDsa65.length, HybridLengths.mlDsa65Public);
      assert.equal(fresh.secret.mlDsa65Secret.length, HybridLengths.mlDsa65Secret);
      assert.notDeepEqual(fresh.public, a.public);
      wipeHybridSecret(a.secret);
      assert.ok(a.secret.ed25519Seed.every((x) => x === 0) && a.secret.mlDsa65Secret.every((x) => x === 0));
      await assert.rejects(signHybrid(p, { ed25519Seed: seed(1), mlDsa65Secret: new Uint8Array(10) }, message), RangeError);
      await assert.rejects(hybridSigningKeyFromSeeds(p, new Uint8Array(31), seed(1)), RangeError);
    });
  }

  it('verifies across providers', async () => {
    const key = await hybridSigningKeyFromSeeds(nodeProvider, seed(7), seed(8));
    const sig = await signHybrid(nodeProvider, key.secret, message);
    assert.equal(await verifyHybrid(nobleProvider, key.public, message, sig), true);
    const back = await signHybrid(nobleProvider, key.secret, message);
    assert.equal(await verifyHybrid(nodeProvider, key.public, message, back), true);
  });
});
