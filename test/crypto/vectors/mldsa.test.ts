// ML-DSA-65 (FIPS 204) through every provider: Wycheproof verification and seeded-signing vectors.
//
// Our API signs and verifies with an empty context only (FIPS 204 §5.2, ctx = ""), so cases with a non-empty ctx are
// not applicable; an absent ctx and an explicit empty one are the same thing. Signing is hedged (randomized), so the
// deterministic expected signatures cannot be reproduced byte for byte: instead the key pair from the seed must match,
// our own signature must verify, and the published signature must verify under our verify.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equalBytes, toHex } from '../../../src/bytes.ts';
import type { KeyPairBytes } from '../../../src/crypto/provider.ts';
import { providers } from '../providers.ts';
import { attempt, errorKind, loadWycheproof, Tally } from '../wycheproof.ts';

const verifyFile = loadWycheproof('mldsa_65_verify_test.json', 'mldsa_verify_schema.json');
const signFile = loadWycheproof('mldsa_65_sign_seed_test.json', 'mldsa_sign_seed_schema.json');

const CTX_NA = 'non-empty context';

for (const provider of providers) {
  test(`ml-dsa-65 verify wycheproof [${provider.name}]`, (t) => {
    const tally = new Tally('ml-dsa-65 verify', provider.name);
    for (const group of verifyFile.groups) {
      const publicKey = group.fields.hex('publicKey');
      for (const tc of group.tests) {
        const ctx = tc.fields.optHex('ctx');
        if (ctx !== undefined && ctx.length > 0) {
          tally.markNotApplicable(CTX_NA);
          continue;
        }
        if (provider.mlDsa65Verify(publicKey, tc.fields.hex('msg'), tc.fields.hex('sig'))) tally.accepted(tc);
        else tally.refused(tc, 'verify false');
      }
    }
    t.diagnostic(tally.summary(verifyFile));
    // Not applicable: ctx of 7 and 255 bytes (valid) and 5 of 256 bytes (invalid: too long).
    tally.assertCounts(verifyFile, { valid: 77, invalid: 126, acceptable: 0, notApplicable: 7 });
  });

  test(`ml-dsa-65 sign from seed wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('ml-dsa-65 sign', provider.name);
    let signed = 0;
    for (const group of signFile.groups) {
      const seed = group.fields.hex('privateSeed');
      // One key generation per group; the IncorrectPrivateKeyLength groups have a 0/31/33-byte seed and no key.
      const keys = await attempt((): KeyPairBytes => provider.mlDsa65KeyGen(seed));
      for (const tc of group.tests) {
        if (!tc.fields.has('msg')) {
          tally.markNotApplicable('external mu (Sign_internal)');
          continue;
        }
        const ctx = tc.fields.optHex('ctx');
        if (ctx !== undefined && ctx.length > 0) {
          tally.markNotApplicable(CTX_NA);
          continue;
        }
        if (!keys.ok) {
          if (seed.length !== 32 && keys.error instanceof RangeError) tally.refused(tc, 'RangeError (seed length)');
          else tally.wrong(tc, `keygen threw ${errorKind(keys.error)}`);
          continue;
        }
        const { publicKey, secretKey } = keys.value;
        if (!equalBytes(publicKey, group.fields.hex('publicKey'))) {
          tally.wrong(tc, `public key ${toHex(publicKey).slice(0, 32)}… differs`);
          continue;
        }
        const msg = tc.fields.hex('msg');
        const ours = provider.mlDsa65Sign(secretKey, msg);
        signed++;
        if (!provider.mlDsa65Verify(publicKey, msg, ours)) tally.wrong(tc, 'our signature does not verify');
        else if (!provider.mlDsa65Verify(publicKey, msg, tc.fields.hex('sig'))) tally.wrong(tc, 'published signature does not verify');
        else tally.accepted(tc);
      }
    }
    t.diagnostic(`${tally.summary(signFile)}; ${signed} hedged signatures made`);
    // Not applicable: 17 Sign_internal cases (mu, no message) and 4 with a 7-, 255- or 256-byte context.
    tally.assertCounts(signFile, { valid: 81, invalid: 3, acceptable: 0, notApplicable: 21 });
    assert.equal(signed, 81);
  });
}
