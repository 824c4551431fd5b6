// Ed25519 (RFC 8032) through every provider: Wycheproof verification vectors, and the one published signing vector
// with a private key we have (WebAuthn L3 §Test Vectors, packed Ed25519), since Wycheproof v1 lists public keys only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { concatBytes, equalBytes, fromHex, toHex } from '../../../src/bytes.ts';
import { providers } from '../providers.ts';
import { loadWycheproof, Tally, VECTORS_DIR } from '../wycheproof.ts';

const file = loadWycheproof('ed25519_test.json', 'eddsa_verify_schema_v1.json');

for (const provider of providers) {
  test(`ed25519 wycheproof verify [${provider.name}]`, async (t) => {
    const tally = new Tally('ed25519', provider.name);
    for (const group of file.groups) {
      // eddsa_verify_schema_v1: the group's key is public only (`publicKey.pk`), so only verification can be run.
      const publicKey = group.fields.obj('publicKey').hex('pk');
      for (const tc of group.tests) {
        const ok = await provider.ed25519Verify(publicKey, tc.fields.hex('msg'), tc.fields.hex('sig'));
        if (ok) tally.accepted(tc);
        else tally.refused(tc, 'verify false');
      }
    }
    t.diagnostic(tally.summary(file));
    tally.assertCounts(file, { valid: 88, invalid: 63, acceptable: 0, notApplicable: 0 });
  });
}

/** The packed-Ed25519 section of the WebAuthn L3 vectors: a private key, and an assertion signed with it. */
function webauthnEd25519Vector() {
  const path = fileURLToPath(new URL('webauthn/webauthn-l3-test-vectors.excerpt.bs', VECTORS_DIR));
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('{#sctn-test-vectors-packed-eddsa}');
  assert.ok(start >= 0, 'packed Ed25519 section missing');
  const section = text.slice(start, text.indexOf('\n## ', start));
  const authentication = section.indexOf('[=authentication ceremony|Authentication=]');
  assert.ok(authentication > 0, 'authentication part missing');
  const field = (name: string, from: number): Uint8Array => {
    const m = new RegExp(`^${name} = h'([0-9a-f]*)'`, 'm').exec(section.slice(from));
    assert.ok(m?.[1] !== undefined, `${name} missing`);
    return fromHex(m[1]);
  };
  // The credential public key is the COSE OKP key at the end of attestedCredentialData: -2 (x) = bstr(32).
  const attestation = toHex(field('attestationObject', 0));
  const x = /215820([0-9a-f]{64})$/.exec(attestation)?.[1];
  assert.ok(x !== undefined, 'COSE x missing');
  return {
    seed: field('private_key', 0),
    publicKey: fromHex(x),
    // WebAuthn §6.3.3: the signature covers authenticatorData ‖ SHA-256(clientDataJSON).
    authenticatorData: field('authenticatorData', authentication),
    clientDataJSON: field('clientDataJSON', authentication),
    signature: field('signature', authentication),
  };
}

for (const provider of providers) {
  test(`ed25519 sign: WebAuthn L3 packed Ed25519 vector [${provider.name}]`, async () => {
    const v = webauthnEd25519Vector();
    const message = concatBytes(v.authenticatorData, provider.sha256(v.clientDataJSON));
    assert.equal(toHex(await provider.ed25519PublicKey(v.seed)), toHex(v.publicKey));
    const signature = await provider.ed25519Sign(v.seed, message);
    assert.ok(equalBytes(signature, v.signature), 'deterministic signature equals the published one');
    assert.equal(await provider.ed25519Verify(v.publicKey, message, v.signature), true);
  });
}
