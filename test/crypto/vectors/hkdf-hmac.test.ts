// HKDF-SHA-256 (RFC 5869) and HMAC-SHA-256 (RFC 2104) through every provider: Wycheproof vectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equalBytes, toHex } from '../../../src/bytes.ts';
import { providers } from '../providers.ts';
import { attempt, errorKind, loadWycheproof, Tally } from '../wycheproof.ts';

const hkdf = loadWycheproof('hkdf_sha256_test.json', 'hkdf_test_schema_v1.json');
const hmac = loadWycheproof('hmac_sha256_test.json', 'mac_test_schema_v1.json');

for (const provider of providers) {
  test(`hkdf-sha256 wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('hkdf-sha256', provider.name);
    for (const group of hkdf.groups) {
      for (const tc of group.tests) {
        const f = tc.fields;
        // The three invalid cases ask for 255·32 + 1 bytes (RFC 5869 §2.3: L <= 255·HashLen): a RangeError.
        const out = await attempt(() => provider.hkdfExpand(provider.hkdfExtract(f.hex('salt'), f.hex('ikm')), f.hex('info'), f.int('size')));
        if (!out.ok) {
          if (out.error instanceof RangeError) tally.refused(tc, 'RangeError');
          else tally.wrong(tc, `threw ${errorKind(out.error)}, not RangeError`);
        } else if (equalBytes(out.value, f.hex('okm'))) tally.accepted(tc);
        else tally.wrong(tc, `okm ${toHex(out.value)}`);
      }
    }
    t.diagnostic(tally.summary(hkdf));
    tally.assertCounts(hkdf, { valid: 83, invalid: 3, acceptable: 0, notApplicable: 0 });
  });

  test(`hmac-sha256 wycheproof [${provider.name}]`, (t) => {
    const tally = new Tally('hmac-sha256', provider.name);
    for (const group of hmac.groups) {
      const tagBytes = group.fields.int('tagSize') / 8;
      assert.ok(Number.isInteger(tagBytes) && tagBytes > 0 && tagBytes <= 32, `tagSize ${tagBytes}`);
      for (const tc of group.tests) {
        const f = tc.fields;
        const mac = provider.hmacSha256(f.hex('key'), f.hex('msg'));
        assert.equal(mac.length, 32);
        // Truncated MACs (RFC 2104 §5) compare the leftmost tagSize bits; an invalid case's tag must not match.
        if (equalBytes(mac.subarray(0, tagBytes), f.hex('tag'))) tally.accepted(tc);
        else tally.refused(tc, 'tag mismatch');
      }
    }
    t.diagnostic(tally.summary(hmac));
    tally.assertCounts(hmac, { valid: 66, invalid: 108, acceptable: 0, notApplicable: 0 });
  });
}
