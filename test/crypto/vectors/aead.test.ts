// AES-GCM and ChaCha20-Poly1305 through every provider: Wycheproof aead_test_schema_v1 vectors.
//
// Our AEAD API has exactly the parameters Chancery's envelope and HPKE (RFC 9180 §7.3) use: 96-bit nonces, 128-bit
// tags, 128- or 256-bit AES keys and 256-bit ChaCha20 keys. Every case with those parameters is run; the others are
// counted as not applicable, and for those whose only mismatch is the nonce the API's refusal (RangeError) is checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes, equalBytes, toHex } from '../../../src/bytes.ts';
import type { AeadAlgorithm, CryptoProvider } from '../../../src/crypto/provider.ts';
import { providers } from '../providers.ts';
import { attempt, errorKind, hasCode, loadWycheproof, Tally, type WycheproofCase, type WycheproofFile } from '../wycheproof.ts';

interface Suite {
  readonly label: string;
  readonly file: WycheproofFile;
  /** Our algorithm for a key of this many bytes, if we have one. */
  readonly algFor: (keyLength: number) => AeadAlgorithm | undefined;
  readonly expected: { readonly valid: number; readonly invalid: number; readonly notApplicable: number };
}

const suites: readonly Suite[] = [
  {
    label: 'aes-gcm',
    file: loadWycheproof('aes_gcm_test.json', 'aead_test_schema_v1.json'),
    algFor: (n) => (n === 16 ? 'aes-128-gcm' : n === 32 ? 'aes-256-gcm' : undefined),
    // 133 cases with a 96-bit IV and a 128/256-bit key (79 valid, 54 modified tags); 103 use AES-192 keys, 80 other IV sizes.
    expected: { valid: 79, invalid: 54, notApplicable: 183 },
  },
  {
    label: 'chacha20-poly1305',
    file: loadWycheproof('chacha20_poly1305_test.json', 'aead_test_schema_v1.json'),
    algFor: (n) => (n === 32 ? 'chacha20-poly1305' : undefined),
    // All but the 9 InvalidNonceSize cases.
    expected: { valid: 256, invalid: 60, notApplicable: 9 },
  },
];

const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

/** Cases the API can express, counted from the groups' declared sizes — a second path to the same number. */
function applicableByGroupHeader(suite: Suite): number {
  let n = 0;
  for (const g of suite.file.groups) {
    const sized = g.fields.int('ivSize') === 96 && g.fields.int('tagSize') === 128;
    if (sized && suite.algFor(g.fields.int('keySize') / 8) !== undefined) n += g.tests.length;
  }
  return n;
}

async function runCase(provider: CryptoProvider, alg: AeadAlgorithm, tc: WycheproofCase, tally: Tally): Promise<void> {
  const f = tc.fields;
  const [key, iv, aad, msg] = [f.hex('key'), f.hex('iv'), f.hex('aad'), f.hex('msg')];
  const sealed = concatBytes(f.hex('ct'), f.hex('tag'));
  const opened = await attempt(() => provider.aeadOpen(alg, key, iv, aad, sealed));
  if (!opened.ok) {
    if (hasCode(opened.error, 'crypto.decrypt_failed')) tally.refused(tc, 'decrypt_failed');
    else tally.wrong(tc, `open threw ${errorKind(opened.error)}`);
    return;
  }
  if (!equalBytes(opened.value, msg)) return tally.wrong(tc, `opened to ${toHex(opened.value)}`);
  const resealed = await attempt(() => provider.aeadSeal(alg, key, iv, aad, msg));
  if (!resealed.ok) return tally.wrong(tc, `seal threw ${errorKind(resealed.error)}`);
  if (!equalBytes(resealed.value, sealed)) return tally.wrong(tc, `sealed to ${toHex(resealed.value)}`);
  tally.accepted(tc);
}

for (const suite of suites) {
  for (const provider of providers) {
    test(`${suite.label} wycheproof [${provider.name}]`, async (t) => {
      const tally = new Tally(suite.label, provider.name);
      let nonceRefused = 0;
      for (const group of suite.file.groups) {
        for (const tc of group.tests) {
          const f = tc.fields;
          const key = f.hex('key');
          const iv = f.hex('iv');
          const alg = suite.algFor(key.length);
          if (alg === undefined) {
            tally.markNotApplicable(`${key.length * 8}-bit key`);
          } else if (iv.length !== NONCE_LENGTH) {
            tally.markNotApplicable('nonce not 96 bits');
            // Outside the API, but the API must say so: a RangeError, never a silent encryption (CVE-2017-7822).
            const sealed = await attempt(() => provider.aeadSeal(alg, key, iv, f.hex('aad'), f.hex('msg')));
            assert.ok(!sealed.ok && sealed.error instanceof RangeError, `tcId ${tc.tcId}: ${iv.length}-byte nonce not refused`);
            nonceRefused++;
          } else if (f.hex('tag').length !== TAG_LENGTH) {
            tally.markNotApplicable('tag not 128 bits');
          } else {
            await runCase(provider, alg, tc, tally);
          }
        }
      }
      t.diagnostic(`${tally.summary(suite.file)}; ${nonceRefused} of the not-applicable nonces refused with RangeError`);
      tally.assertCounts(suite.file, { ...suite.expected, acceptable: 0 });
      assert.ok(tally.run > 0);
      assert.equal(tally.run, applicableByGroupHeader(suite), 'applicable cases = those the group headers size for our API');
    });
  }
}
