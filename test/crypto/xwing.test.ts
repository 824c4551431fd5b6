// X-Wing against the draft's published vectors and noble's own ml_kem768_x25519, through every provider.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { fromHex, toHex } from '../../src/bytes.ts';
import { XWing, xwingDecapsulate, xwingEncapsulate, xwingKeyPairFromSeed } from '../../src/crypto/xwing.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';

interface XWingVector {
  seed: string;
  eseed: string;
  pk: string;
  ct: string;
  ss: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/xwing/test-vectors.json', import.meta.url), 'utf8'),
) as XWingVector[];

describe('X-Wing', () => {
  for (const p of [nodeProvider, nobleProvider]) {
    it(`reproduces every draft vector: key pair, ciphertext, shared secret [${p.name}]`, async (t) => {
      assert.equal(vectors.length, 3);
      for (const v of vectors) {
        const pair = await xwingKeyPairFromSeed(p, fromHex(v.seed));
        assert.equal(toHex(pair.publicKey), v.pk);
        const e = await xwingEncapsulate(p, pair.publicKey, fromHex(v.eseed));
        assert.equal(toHex(e.cipherText), v.ct);
        assert.equal(toHex(e.sharedSecret), v.ss);
        assert.equal(toHex(await xwingDecapsulate(p, fromHex(v.ct), fromHex(v.seed))), v.ss);
      }
      t.diagnostic(`x-wing [${p.name}]: ${vectors.length} vectors matched`);
    });

    it(`agrees with noble's ml_kem768_x25519 on random seeds [${p.name}]`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), async (seed, eseed) => {
          const ours = await xwingKeyPairFromSeed(p, seed);
          const theirs = ml_kem768_x25519.keygen(seed);
          assert.equal(toHex(ours.publicKey), toHex(theirs.publicKey));
          const e = await xwingEncapsulate(p, ours.publicKey, eseed);
          assert.equal(toHex(ml_kem768_x25519.decapsulate(e.cipherText, seed)), toHex(e.sharedSecret));
          const r = ml_kem768_x25519.encapsulate(theirs.publicKey);
          assert.equal(toHex(await xwingDecapsulate(p, r.cipherText, seed)), toHex(r.sharedSecret));
        }),
        { numRuns: 15 },
      );
    });

    it(`a tampered ciphertext decapsulates to a different secret (implicit rejection) [${p.name}]`, async () => {
      const pair = await xwingKeyPairFromSeed(p, new Uint8Array(32).fill(7));
      const e = await xwingEncapsulate(p, pair.publicKey);
      for (const index of [0, 500, 1087]) {
        const ct = e.cipherText.slice();
        ct[index]! ^= 0x01;
        assert.notEqual(toHex(await xwingDecapsulate(p, ct, pair.secretKey)), toHex(e.sharedSecret));
      }
    });
  }

  it('checks lengths at the edge', async () => {
    const p = nodeProvider;
    await assert.rejects(() => xwingKeyPairFromSeed(p, new Uint8Array(31)), RangeError);
    await assert.rejects(() => xwingEncapsulate(p, new Uint8Array(XWing.publicKeyLength - 1)), RangeError);
    await assert.rejects(() => xwingDecapsulate(p, new Uint8Array(XWing.cipherTextLength + 1), new Uint8Array(32)), RangeError);
    await assert.rejects(() => xwingKeyPairFromSeed(p, 'seed' as unknown as Uint8Array), TypeError);
  });
});
