// Property tests: the node, noble and WebCrypto providers agree byte for byte on random inputs, refuse one-bit
// forgeries alike, and check their inputs alike at the edge (STYLE.md: TypeError for a wrong type, RangeError for a
// wrong length). Inputs are sometimes views into a larger buffer, so an implementation that reads `.buffer` without
// `byteOffset` shows up here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../src/bytes.ts';
import type { AeadAlgorithm, CryptoProvider } from '../../src/crypto/provider.ts';
import { ChanceryError } from '../../src/errors.ts';
import { providers } from './providers.ts';

const AEAD_KEY: Record<AeadAlgorithm, number> = { 'aes-128-gcm': 16, 'aes-256-gcm': 32, 'chacha20-poly1305': 32 };
const AEADS = Object.keys(AEAD_KEY) as AeadAlgorithm[];

/** Random bytes, half the time as a subarray (non-zero byteOffset) of a larger, differently filled buffer. */
function bytes(minLength: number, maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.uint8Array({ minLength, maxLength }), fc.nat(7), fc.boolean())
    .map(([b, pad, view]) => {
      if (!view) return b;
      const backing = new Uint8Array(pad + b.length + 3).fill(0xa5);
      backing.set(b, pad);
      return backing.subarray(pad, pad + b.length);
    });
}

/** The same output from every provider, as hex; fails naming the provider that disagrees. */
async function agree(what: string, f: (p: CryptoProvider) => Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  let first: { name: string; hex: string; value: Uint8Array } | undefined;
  for (const p of providers) {
    const value = await f(p);
    const hex = toHex(value);
    if (first === undefined) first = { name: p.name, hex, value };
    else assert.equal(hex, first.hex, `${what}: ${p.name} differs from ${first.name}`);
  }
  assert.ok(first !== undefined);
  return first.value;
}

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(data);
  const i = bit % (out.length * 8);
  out[i >> 3]! ^= 1 << (i & 7);
  return out;
}

function isCode(code: string): (e: unknown) => boolean {
  return (e) => e instanceof ChanceryError && e.code === code;
}

describe('providers agree', () => {
  test('sha256, sha3-256, shake256', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(0, 300), fc.nat(200), async (data, outLen) => {
        await agree('sha256', (p) => p.sha256(data));
        await agree('sha3-256', (p) => p.sha3_256(data));
        await agree('shake256', (p) => p.shake256(data, outLen));
      }),
      { numRuns: 200 },
    );
  });

  test('hmac-sha256 and hkdf-sha256 (keys shorter and longer than the 64-byte block)', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(0, 150), bytes(0, 200), bytes(0, 80), bytes(0, 80), fc.nat(700), async (key, data, info, salt, length) => {
        await agree('hmac', (p) => p.hmacSha256(key, data));
        const prk = await agree('hkdf-extract', (p) => p.hkdfExtract(salt, key));
        await agree('hkdf-expand', (p) => p.hkdfExpand(prk, info, length));
      }),
      { numRuns: 200 },
    );
  });

  test('aead: every provider seals alike and opens every provider’s output', async () => {
    const input = fc.constantFrom(...AEADS).chain((alg) => fc.tuple(fc.constant(alg), bytes(AEAD_KEY[alg], AEAD_KEY[alg]), bytes(12, 12), bytes(0, 64), bytes(0, 300)));
    await fc.assert(
      fc.asyncProperty(input, async ([alg, key, nonce, aad, plaintext]) => {
        const sealed = await agree(`${alg} seal`, (p) => p.aeadSeal(alg, key, nonce, aad, plaintext));
        assert.equal(sealed.length, plaintext.length + 16);
        for (const opener of providers) {
          assert.equal(toHex(await opener.aeadOpen(alg, key, nonce, aad, sealed)), toHex(plaintext), `${opener.name} opens`);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('aead: a one-bit change to the ciphertext or tag is refused by every provider', async () => {
    const input = fc.constantFrom(...AEADS).chain((alg) => fc.tuple(fc.constant(alg), bytes(AEAD_KEY[alg], AEAD_KEY[alg]), bytes(12, 12), bytes(0, 32), bytes(0, 100), fc.nat()));
    await fc.assert(
      fc.asyncProperty(input, async ([alg, key, nonce, aad, plaintext, bit]) => {
        const sealed = await providers[0]!.aeadSeal(alg, key, nonce, aad, plaintext);
        const forged = flipBit(sealed, bit);
        for (const p of providers) {
          await assert.rejects(async () => p.aeadOpen(alg, key, nonce, aad, forged), isCode('crypto.decrypt_failed'), p.name);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('x25519 public keys and shared secrets (RFC 7748), also with arbitrary public u-coordinates', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32, 32), bytes(32, 32), bytes(32, 32), async (a, b, u) => {
        const pubA = await agree('x25519 public', (p) => p.x25519PublicKey(a));
        const pubB = await agree('x25519 public', (p) => p.x25519PublicKey(b));
        const ab = await agree('x25519 shared', (p) => p.x25519(a, pubB));
        assert.equal(toHex(await agree('x25519 shared', (p) => p.x25519(b, pubA))), toHex(ab), 'DH commutes');
        // Any 32 bytes are a u-coordinate (RFC 7748 §5: the top bit is masked); random ones are never low-order.
        await agree('x25519 arbitrary u', (p) => p.x25519(a, u));
      }),
      { numRuns: 80 },
    );
  });

  test('ed25519 public keys and deterministic signatures (RFC 8032); one flipped bit is refused by every verifier', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32, 32), bytes(0, 200), fc.nat(), async (seed, message, bit) => {
        const publicKey = await agree('ed25519 public', (p) => p.ed25519PublicKey(seed));
        const signature = await agree('ed25519 sign', (p) => p.ed25519Sign(seed, message));
        for (const p of providers) {
          assert.equal(await p.ed25519Verify(publicKey, message, signature), true, `${p.name} verifies`);
          assert.equal(await p.ed25519Verify(publicKey, message, flipBit(signature, bit)), false, `${p.name}: flipped signature bit`);
          if (message.length > 0) {
            assert.equal(await p.ed25519Verify(publicKey, flipBit(message, bit), signature), false, `${p.name}: flipped message bit`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('ml-kem-768 and ml-dsa-65 round trips through every provider', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(64, 64), bytes(32, 32), bytes(32, 32), bytes(0, 64), async (kemSeed, m, dsaSeed, message) => {
        const kemPublic = await agree('ml-kem keygen', (p) => p.mlKem768KeyGen(kemSeed).publicKey);
        const ct = await agree('ml-kem encaps', (p) => p.mlKem768Encapsulate(kemPublic, m).cipherText);
        const ss = await agree('ml-kem encaps', (p) => p.mlKem768Encapsulate(kemPublic, m).sharedSecret);
        assert.equal(toHex(await agree('ml-kem decaps', (p) => p.mlKem768Decapsulate(ct, p.mlKem768KeyGen(kemSeed).secretKey))), toHex(ss));
        const dsa = providers[0]!.mlDsa65KeyGen(dsaSeed);
        await agree('ml-dsa keygen', (p) => p.mlDsa65KeyGen(dsaSeed).publicKey);
        const signature = providers[0]!.mlDsa65Sign(dsa.secretKey, message);
        for (const p of providers) {
          assert.equal(p.mlDsa65Verify(dsa.publicKey, message, signature), true, `${p.name} verifies`);
          assert.equal(p.mlDsa65Verify(dsa.publicKey, message, flipBit(signature, 8 * 100)), false, `${p.name}: flipped bit`);
        }
      }),
      { numRuns: 5 },
    );
  });

  test('randomBytes: lengths beyond one 65,536-byte getRandomValues call', () => {
    for (const p of providers) {
      for (const n of [0, 1, 32, 65536, 65537, 200_000]) {
        const r = p.randomBytes(n);
        assert.ok(r instanceof Uint8Array && r.length === n, `${p.name} randomBytes(${n})`);
      }
      // 200,000 random bytes with a long run of zeros (as from an unfilled chunk) would mean a chunking bug.
      assert.ok(!toHex(p.randomBytes(200_000)).includes('0'.repeat(64)), `${p.name}: unfilled chunk`);
    }
  });
});

describe('input checks at the provider edge', () => {
  const notBytes: readonly [string, unknown][] = [
    ['string', 'abc'],
    ['number[]', [1, 2, 3]],
    ['ArrayBuffer', new ArrayBuffer(32)],
    ['DataView', new DataView(new ArrayBuffer(32))],
    ['null', null],
  ];
  const k32 = new Uint8Array(32);
  const n12 = new Uint8Array(12);
  const none = new Uint8Array(0);

  for (const p of providers) {
    test(`wrong key and nonce lengths throw RangeError [${p.name}]`, async () => {
      for (const alg of AEADS) {
        for (const keyLength of [0, AEAD_KEY[alg] - 1, AEAD_KEY[alg] + 1, 24, 64]) {
          if (keyLength === AEAD_KEY[alg]) continue;
          const key = new Uint8Array(keyLength);
          await assert.rejects(async () => p.aeadSeal(alg, key, n12, none, none), RangeError, `${alg} seal, ${keyLength}-byte key`);
          await assert.rejects(async () => p.aeadOpen(alg, key, n12, none, new Uint8Array(16)), RangeError, `${alg} open, ${keyLength}-byte key`);
        }
        for (const nonceLength of [0, 8, 11, 13, 16, 24]) {
          const key = new Uint8Array(AEAD_KEY[alg]);
          const nonce = new Uint8Array(nonceLength);
          await assert.rejects(async () => p.aeadSeal(alg, key, nonce, none, none), RangeError, `${alg} seal, ${nonceLength}-byte nonce`);
          await assert.rejects(async () => p.aeadOpen(alg, key, nonce, none, new Uint8Array(16)), RangeError, `${alg} open, ${nonceLength}-byte nonce`);
        }
      }
      for (const n of [0, 31, 33, 64]) {
        const wrong = new Uint8Array(n);
        await assert.rejects(async () => p.x25519PublicKey(wrong), RangeError, `x25519 public, ${n}`);
        await assert.rejects(async () => p.x25519(wrong, k32), RangeError, `x25519 private, ${n}`);
        await assert.rejects(async () => p.x25519(k32, wrong), RangeError, `x25519 public, ${n}`);
        await assert.rejects(async () => p.ed25519PublicKey(wrong), RangeError, `ed25519 seed, ${n}`);
        await assert.rejects(async () => p.ed25519Sign(wrong, none), RangeError, `ed25519 sign seed, ${n}`);
        assert.equal(await p.ed25519Verify(wrong, none, new Uint8Array(64)), false, `ed25519 verify key, ${n}`);
        assert.equal(await p.ed25519Verify(k32, none, new Uint8Array(n)), false, `ed25519 verify signature, ${n}`);
      }
      for (const n of [0, 32, 63, 65]) assert.throws(() => p.mlKem768KeyGen(new Uint8Array(n)), RangeError, `ml-kem seed, ${n}`);
      for (const n of [0, 31, 33, 64]) assert.throws(() => p.mlDsa65KeyGen(new Uint8Array(n)), RangeError, `ml-dsa seed, ${n}`);
      assert.throws(() => p.mlKem768Encapsulate(new Uint8Array(1183), k32), RangeError);
      assert.throws(() => p.mlKem768Encapsulate(new Uint8Array(1184), new Uint8Array(31)), RangeError);
      assert.throws(() => p.mlKem768Decapsulate(new Uint8Array(1087), new Uint8Array(2400)), RangeError);
      assert.throws(() => p.mlKem768Decapsulate(new Uint8Array(1088), new Uint8Array(2399)), RangeError);
      assert.equal(p.mlDsa65Verify(new Uint8Array(1951), none, new Uint8Array(3309)), false);
      assert.equal(p.mlDsa65Verify(new Uint8Array(1952), none, new Uint8Array(3308)), false);
      assert.throws(() => p.hkdfExpand(k32, none, 255 * 32 + 1), RangeError);
      assert.throws(() => p.hkdfExpand(k32, none, -1), RangeError);
      assert.throws(() => p.hkdfExpand(new Uint8Array(16), none, 32), RangeError, 'PRK shorter than HashLen (RFC 5869 §2.3)');
      assert.throws(() => p.shake256(none, -1), RangeError);
      assert.throws(() => p.randomBytes(-1), RangeError);
    });

    test(`non-Uint8Array inputs throw TypeError [${p.name}]`, async () => {
      for (const [label, value] of notBytes) {
        const bad = value as Uint8Array; // deliberately the wrong type, as from untyped JavaScript
        const sync: [string, () => unknown][] = [
          ['sha256', () => p.sha256(bad)],
          ['sha3_256', () => p.sha3_256(bad)],
          ['shake256', () => p.shake256(bad, 32)],
          ['hmac key', () => p.hmacSha256(bad, none)],
          ['hmac data', () => p.hmacSha256(k32, bad)],
          ['hkdf salt', () => p.hkdfExtract(bad, none)],
          ['hkdf ikm', () => p.hkdfExtract(none, bad)],
          ['hkdf prk', () => p.hkdfExpand(bad, none, 32)],
          ['hkdf info', () => p.hkdfExpand(k32, bad, 32)],
          ['ml-kem seed', () => p.mlKem768KeyGen(bad)],
          ['ml-kem public key', () => p.mlKem768Encapsulate(bad, k32)],
          ['ml-dsa seed', () => p.mlDsa65KeyGen(bad)],
        ];
        for (const [what, f] of sync) assert.throws(f, TypeError, `${what}: ${label}`);
        const async: [string, () => Promise<unknown>][] = [
          ['aead key', () => p.aeadSeal('aes-256-gcm', bad, n12, none, none)],
          ['aead nonce', () => p.aeadSeal('aes-256-gcm', k32, bad, none, none)],
          ['aead aad', () => p.aeadSeal('aes-256-gcm', k32, n12, bad, none)],
          ['aead plaintext', () => p.aeadSeal('aes-256-gcm', k32, n12, none, bad)],
          ['chacha plaintext', () => p.aeadSeal('chacha20-poly1305', k32, n12, none, bad)],
          ['aead ciphertext', () => p.aeadOpen('aes-128-gcm', new Uint8Array(16), n12, none, bad)],
          ['x25519 private', () => p.x25519PublicKey(bad)],
          ['x25519 public', () => p.x25519(k32, bad)],
          ['ed25519 seed', () => p.ed25519Sign(bad, none)],
          ['ed25519 message', () => p.ed25519Sign(k32, bad)],
        ];
        for (const [what, f] of async) await assert.rejects(async () => f(), TypeError, `${what}: ${label}`);
        // Verification answers false for anything malformed, never throws (CryptoProvider contract).
        assert.equal(await p.ed25519Verify(bad, none, new Uint8Array(64)), false);
        assert.equal(await p.ed25519Verify(k32, bad, new Uint8Array(64)), false);
        assert.equal(await p.ed25519Verify(k32, none, bad), false);
        assert.equal(p.mlDsa65Verify(bad, none, new Uint8Array(3309)), false);
        assert.equal(p.mlDsa65Verify(new Uint8Array(1952), bad, new Uint8Array(3309)), false);
        assert.equal(p.mlDsa65Verify(new Uint8Array(1952), none, bad), false);
      }
    });
  }
});
