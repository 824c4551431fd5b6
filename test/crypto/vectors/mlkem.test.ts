// ML-KEM-768 (FIPS 203) through every provider: the four Wycheproof ML-KEM-768 files. Each file's schema was read
// first; every case is expressible with our API (KeyGen from a 64-byte d‖z seed, Encaps with explicit m, Decaps with
// a 2400-byte decapsulation key), so none is skipped.
//
// Refusals must be the right kind: a wrong-length input is a RangeError at the provider edge; a well-sized but
// invalid key (FIPS 203 §7.2 modulus check, §7.3 hash check) is CryptoError('crypto.invalid_key').
import { test } from 'node:test';
import { equalBytes, toHex } from '../../../src/bytes.ts';
import type { CryptoProvider } from '../../../src/crypto/provider.ts';
import { providers } from '../providers.ts';
import { attempt, errorKind, hasCode, loadWycheproof, Tally, type Attempt, type WycheproofCase } from '../wycheproof.ts';

const SEED = 64;
const EK = 1184;
const DK = 2400;
const CT = 1088;

const keygenFile = loadWycheproof('mlkem_768_keygen_seed_test.json', 'mlkem_keygen_seed_test_schema.json');
const kemFile = loadWycheproof('mlkem_768_test.json', 'mlkem_test_schema.json');
const encapsFile = loadWycheproof('mlkem_768_encaps_test.json', 'mlkem_encaps_test_schema.json');
const decapsFile = loadWycheproof('mlkem_768_semi_expanded_decaps_test.json', 'mlkem_semi_expanded_decaps_test_schema.json');

/** Records a refusal, if it is the kind expected for these input sizes; anything else is a failure. */
function refusal(tally: Tally, tc: WycheproofCase, out: Attempt<unknown> & { ok: false }, sizesOk: boolean): void {
  if (!sizesOk && out.error instanceof RangeError) tally.refused(tc, 'RangeError (length)');
  else if (sizesOk && hasCode(out.error, 'crypto.invalid_key')) tally.refused(tc, 'crypto.invalid_key');
  else tally.wrong(tc, `refused with ${errorKind(out.error)}`);
}

function same(tally: Tally, tc: WycheproofCase, what: string, got: Uint8Array, want: Uint8Array): boolean {
  if (equalBytes(got, want)) return true;
  tally.wrong(tc, `${what} ${toHex(got).slice(0, 32)}… differs`);
  return false;
}

/** mlkem_keygen_seed_test_schema: seed → (ek, dk). */
async function keygenSeed(p: CryptoProvider, tally: Tally): Promise<void> {
  for (const tc of keygenFile.groups.flatMap((g) => g.tests)) {
    const out = await attempt(() => p.mlKem768KeyGen(tc.fields.hex('seed')));
    if (!out.ok) refusal(tally, tc, out, tc.fields.hex('seed').length === SEED);
    else if (same(tally, tc, 'ek', out.value.publicKey, tc.fields.hex('ek')) && same(tally, tc, 'dk', out.value.secretKey, tc.fields.hex('dk'))) {
      tally.accepted(tc);
    }
  }
}

/** mlkem_test_schema: seed → KeyGen (ek must match), then Decaps(c) = K; invalid seeds and ciphertext sizes refused. */
async function keygenDecaps(p: CryptoProvider, tally: Tally): Promise<void> {
  for (const tc of kemFile.groups.flatMap((g) => g.tests)) {
    const f = tc.fields;
    const keys = await attempt(() => p.mlKem768KeyGen(f.hex('seed')));
    if (!keys.ok) {
      refusal(tally, tc, keys, f.hex('seed').length === SEED);
      continue;
    }
    if (f.has('ek') && !same(tally, tc, 'ek', keys.value.publicKey, f.hex('ek'))) continue;
    const c = f.hex('c');
    const k = await attempt(() => p.mlKem768Decapsulate(c, keys.value.secretKey));
    if (!k.ok) refusal(tally, tc, k, c.length === CT);
    else if (same(tally, tc, 'K', k.value, f.hex('K'))) tally.accepted(tc);
  }
}

/** mlkem_encaps_test_schema: (ek, m) → (c, K); short, long and unreduced (modulus-overflowing) keys refused. */
async function encaps(p: CryptoProvider, tally: Tally): Promise<void> {
  for (const tc of encapsFile.groups.flatMap((g) => g.tests)) {
    const f = tc.fields;
    const ek = f.hex('ek');
    const out = await attempt(() => p.mlKem768Encapsulate(ek, f.hex('m')));
    if (!out.ok) refusal(tally, tc, out, ek.length === EK && f.hex('m').length === 32);
    else if (same(tally, tc, 'c', out.value.cipherText, f.hex('c')) && same(tally, tc, 'K', out.value.sharedSecret, f.hex('K'))) {
      tally.accepted(tc);
    }
  }
}

/** mlkem_semi_expanded_decaps_test_schema: (dk, c) → K; wrong sizes and a dk failing the H(ek) check refused. */
async function decaps(p: CryptoProvider, tally: Tally): Promise<void> {
  for (const tc of decapsFile.groups.flatMap((g) => g.tests)) {
    const f = tc.fields;
    const [dk, c] = [f.hex('dk'), f.hex('c')];
    const out = await attempt(() => p.mlKem768Decapsulate(c, dk));
    if (!out.ok) refusal(tally, tc, out, dk.length === DK && c.length === CT);
    else if (same(tally, tc, 'K', out.value, f.hex('K'))) tally.accepted(tc);
  }
}

for (const provider of providers) {
  test(`ml-kem-768 keygen seed wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('ml-kem-768 keygen', provider.name);
    await keygenSeed(provider, tally);
    t.diagnostic(tally.summary(keygenFile));
    tally.assertCounts(keygenFile, { valid: 100, invalid: 0, acceptable: 0, notApplicable: 0 });
  });

  test(`ml-kem-768 keygen+decaps wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('ml-kem-768', provider.name);
    await keygenDecaps(provider, tally);
    t.diagnostic(tally.summary(kemFile));
    // 20 invalid seeds (too short / too long) and 20 invalid ciphertext sizes.
    tally.assertCounts(kemFile, { valid: 153, invalid: 40, acceptable: 0, notApplicable: 0 });
  });

  test(`ml-kem-768 encaps wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('ml-kem-768 encaps', provider.name);
    await encaps(provider, tally);
    t.diagnostic(tally.summary(encapsFile));
    // 112 unreduced keys (FIPS 203 §7.2 modulus check) and 20 wrong-length keys.
    tally.assertCounts(encapsFile, { valid: 133, invalid: 132, acceptable: 0, notApplicable: 0 });
  });

  test(`ml-kem-768 semi-expanded decaps wycheproof [${provider.name}]`, async (t) => {
    const tally = new Tally('ml-kem-768 decaps', provider.name);
    await decaps(provider, tally);
    t.diagnostic(tally.summary(decapsFile));
    tally.assertCounts(decapsFile, { valid: 3, invalid: 6, acceptable: 0, notApplicable: 0 });
  });
}
