// RFC 9421 Appendix B.2.6 (Ed25519, key test-key-ed25519 of B.1.4) and the RFC 9530 example digest, reproduced
// byte for byte by our generic signature-base builder, structured-field parser and both providers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../../src/bytes.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { AuthError } from '../../src/errors.ts';
import { contentDigest, verifyContentDigest } from '../../src/protocol/content-digest.ts';
import { serializeSignatureParams, signatureBase } from '../../src/protocol/signature-base.ts';
import { parseDictionary, serializeInnerList, type BareItem } from '../../src/protocol/structured-fields.ts';

// B.1.4: PKCS#8 and SPKI DER of the test key; the raw seed and public key are their last 32 bytes.
const PRIVATE_DER = 'MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF';
const PUBLIC_DER = 'MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=';
const seed = fromBase64(PRIVATE_DER).slice(-32);
const publicKey = fromBase64(PUBLIC_DER).slice(-32);

// B.2.6, with the RFC 8792 line wrapping undone.
const SIGNATURE_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const SIGNATURE = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';
const BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
].join('\n');
// The test-request of RFC 9421 §B.2: the values of the covered components.
const VALUES: Record<string, string> = {
  date: 'Tue, 20 Apr 2021 02:07:55 GMT',
  '@method': 'POST',
  '@path': '/foo',
  '@authority': 'example.com',
  'content-type': 'application/json',
  'content-length': '18',
};

function b26(): { names: string[]; params: ReadonlyMap<string, BareItem>; signature: Uint8Array } {
  const input = parseDictionary(SIGNATURE_INPUT, 4096).get('sig-b26');
  const sig = parseDictionary(SIGNATURE, 4096).get('sig-b26');
  assert.ok(input?.kind === 'inner-list' && sig?.kind === 'item' && sig.value.kind === 'bytes');
  const names = input.items.map((i) => (i.value.kind === 'string' ? i.value.value : ''));
  return { names, params: input.params, signature: sig.value.value };
}

describe('RFC 9421 B.2.6: Ed25519 over the test request', () => {
  it('the B.1.4 key pair: the seed derives the published public key', async () => {
    assert.deepEqual(await nodeProvider.ed25519PublicKey(seed), publicKey);
  });

  it('Signature-Input parses and re-serializes to the published text', () => {
    const { names, params } = b26();
    assert.deepEqual(names, ['date', '@method', '@path', '@authority', 'content-type', 'content-length']);
    assert.equal(`sig-b26=${serializeSignatureParams(names, params)}`, SIGNATURE_INPUT);
    const member = parseDictionary(SIGNATURE_INPUT, 4096).get('sig-b26');
    assert.ok(member?.kind === 'inner-list');
    assert.equal(`sig-b26=${serializeInnerList(member)}`, SIGNATURE_INPUT);
  });

  it('the signature base is reproduced byte for byte', () => {
    const { names, params } = b26();
    const base = signatureBase(
      names.map((name) => ({ name, value: VALUES[name]! })),
      params,
    );
    assert.equal(fromUtf8(base), BASE);
  });

  for (const p of [nodeProvider, nobleProvider]) {
    it(`signing the base gives the published signature, which verifies [${p.name}]`, async () => {
      const { signature } = b26();
      const ours = await p.ed25519Sign(seed, utf8(BASE));
      assert.equal(toBase64(ours), toBase64(signature));
      assert.equal(await p.ed25519Verify(publicKey, utf8(BASE), signature), true);
      // One changed byte of the base (POST → PUT) and the published signature no longer verifies.
      assert.equal(await p.ed25519Verify(publicKey, utf8(BASE.replace('POST', 'PUT')), signature), false);
    });
  }
});

describe('RFC 9530 Content-Digest examples', () => {
  const body = utf8('{"hello": "world"}');

  it('sha-256 of {"hello": "world"} is the published X48E9q… value', () => {
    assert.equal(contentDigest(nodeProvider, body), 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    verifyContentDigest(nodeProvider, 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', body);
  });

  it('the sha-512 digest of the RFC 9421 test request is refused: sha-256 is the only algorithm we accept', () => {
    const sha512 = 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';
    assert.throws(() => verifyContentDigest(nodeProvider, sha512, body), (e) => e instanceof AuthError && e.code === 'auth.digest_mismatch');
  });
});
