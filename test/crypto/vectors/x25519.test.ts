// X25519 (RFC 7748) shared secrets through every provider: Wycheproof xdh_comp vectors.
//
// Acceptable cases are low-order, twist and non-canonical public keys (RFC 7748 §5, §7). A provider may compute them
// (then the result must equal the expected shared secret, byte for byte) or refuse them — but a refusal is accepted
// only where the expected shared secret is all-zero, i.e. the RFC 7748 §6.1 zero check that OpenSSL, noble and
// WebCrypto all perform, and only as `CryptoError('crypto.invalid_key')`. Refusing any other key is a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equalBytes, toHex } from '../../../src/bytes.ts';
import { providers } from '../providers.ts';
import { attempt, errorKind, hasCode, loadWycheproof, Tally } from '../wycheproof.ts';

const file = loadWycheproof('x25519_test.json', 'xdh_comp_schema_v1.json');
const ZERO = new Uint8Array(32);

for (const provider of providers) {
  test(`x25519 wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('x25519', provider.name);
    let zeroRefusals = 0;
    for (const group of file.groups) {
      assert.equal(group.fields.str('curve'), 'curve25519');
      for (const tc of group.tests) {
        const expected = tc.fields.hex('shared');
        const expectsZero = equalBytes(expected, ZERO);
        // The file's own labels must agree with its data, or the refusal rule below would be misapplied.
        assert.equal(tc.flags.includes('ZeroSharedSecret'), expectsZero, `tcId ${tc.tcId}: ZeroSharedSecret flag`);
        const out = await attempt(() => provider.x25519(tc.fields.hex('private'), tc.fields.hex('public')));
        if (out.ok) {
          if (equalBytes(out.value, expected)) tally.accepted(tc);
          else tally.wrong(tc, `shared ${toHex(out.value)}`);
        } else if (expectsZero && hasCode(out.error, 'crypto.invalid_key')) {
          zeroRefusals++;
          tally.refused(tc, 'all-zero shared secret refused');
        } else {
          tally.wrong(tc, `refused: ${errorKind(out.error)}`);
        }
      }
    }
    t.diagnostic(tally.summary(file));
    tally.assertCounts(file, { valid: 264, invalid: 0, acceptable: 254, notApplicable: 0 });
    // 31 acceptable cases expect an all-zero secret; every provider refuses exactly those.
    assert.equal(zeroRefusals, 31);
  });
}
