// Request signatures: the exact headers and signature base, the round trip, every tamper refused with its code,
// clock skew both ways, the check order (nonces recorded only after a valid signature), and hostile headers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { AuthError } from '../../src/errors.ts';
import { contentDigest } from '../../src/protocol/content-digest.ts';
import { parseAndVerifyRequest, signRequest } from '../../src/protocol/http-signature.ts';
import { BODY, KEY_ID, NOW, OTHER_KEY_ID, OTHER_SEED, SEED, URL_, harness, outcome, signed, verify, type Signed } from './fixtures.ts';

const PARAMS = `("@method" "@target-uri" "content-digest");created=1767225600;nonce="AAECAwQFBgcICQoLDA0ODw==";keyid="${KEY_ID}";alg="ed25519"`;

function withHeader(s: Signed, name: string, value: string): Signed {
  return { ...s, headers: { ...s.headers, [name]: value } };
}

function flipSignatureByte(s: Signed, index: number): Signed {
  const b64 = /^sig1=:(.*):$/.exec(s.headers.signature!)![1]!;
  const bytes = Uint8Array.from(Buffer.from(b64, 'base64'));
  bytes[index]! ^= 0x01;
  return withHeader(s, 'signature', `sig1=:${toBase64(bytes)}:`);
}

describe('signRequest', () => {
  it('emits the docs/node.md headers exactly, over the RFC 9421 §2.5 base written out by hand', async () => {
    const s = await signed();
    const digest = contentDigest(p, BODY);
    assert.equal(s.headers['content-digest'], digest);
    assert.equal(s.headers['signature-input'], `sig1=${PARAMS}`);
    assert.match(s.headers.signature!, /^sig1=:[A-Za-z0-9+/]{86}==:$/);
    const base = [`"@method": POST`, `"@target-uri": ${URL_}`, `"content-digest": ${digest}`, `"@signature-params": ${PARAMS}`].join('\n');
    const sig = Buffer.from(/^sig1=:(.*):$/.exec(s.headers.signature!)![1]!, 'base64');
    assert.equal(await p.ed25519Verify(await p.ed25519PublicKey(SEED), utf8(base), sig), true);
    assert.deepEqual(Buffer.from(sig), Buffer.from(await p.ed25519Sign(SEED, utf8(base))));
  });

  it('draws a fresh 16-byte nonce when none is given', async () => {
    const a = await signRequest(p, { method: 'GET', url: URL_, body: new Uint8Array(0), keyId: KEY_ID, signingSeed: SEED, now: NOW });
    const b = await signRequest(p, { method: 'GET', url: URL_, body: new Uint8Array(0), keyId: KEY_ID, signingSeed: SEED, now: NOW });
    const nonce = (h: string): string => /nonce="([^"]*)"/.exec(h)![1]!;
    assert.notEqual(nonce(a['signature-input']), nonce(b['signature-input']));
    assert.equal(Buffer.from(nonce(a['signature-input']), 'base64').length, 16);
    assert.equal(a['content-digest'], 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:'); // SHA-256 of nothing
  });

  it('refuses a bad method, URL, key id or nonce before signing', async () => {
    const base = { method: 'POST', url: URL_, body: BODY, keyId: KEY_ID, signingSeed: SEED, now: NOW };
    await assert.rejects(signRequest(p, { ...base, method: 'PO ST' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, url: '/api/v1/drafts' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, url: 'ftp://node.mfa.cy/x' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, url: 'https://u:pw@node.mfa.cy/x' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, keyId: 'Anna/d-1' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, keyId: 'anna' }), TypeError);
    await assert.rejects(signRequest(p, { ...base, nonce: new Uint8Array(15) }), RangeError);
  });
});

describe('parseAndVerifyRequest', () => {
  it('accepts its own signature, with Headers or a lookup function, and says who signed', async () => {
    const s = await signed();
    const { policy, nonces } = await harness();
    const who = await verify(s, policy);
    assert.deepEqual({ ...who }, { kind: 'device', keyId: KEY_ID, user: 'anna.schmidt', device: 'd-0042-1', created: 1_767_225_600 });
    assert.deepEqual([...nonces], [[`${KEY_ID} AAECAwQFBgcICQoLDA0ODw==`, (1_767_225_600 + 60) * 1000]]);
    const lookup = (name: string): string | undefined => s.headers[name];
    const again = await harness();
    assert.equal((await parseAndVerifyRequest(p, { ...s, headers: lookup }, again.policy)).keyId, KEY_ID);
  });

  it('normalises the target URI alike on both sides (host case, default port, fragment)', async () => {
    const s = await signed({ url: 'https://NODE.mfa.cy:443/api/v1/drafts?office=MFA.CY#frag' });
    assert.equal(await outcome(verify({ ...s, url: URL_ }, (await harness()).policy)), 'ok');
  });

  const tampers: [string, (s: Signed) => Signed | Promise<Signed>, string][] = [
    ['method', (s) => ({ ...s, method: 'PUT' }), 'auth.bad_signature'],
    ['url path', (s) => ({ ...s, url: s.url.replace('drafts', 'grants') }), 'auth.bad_signature'],
    ['url query', (s) => ({ ...s, url: s.url.replace('MFA.CY', 'EEAS') }), 'auth.bad_signature'],
    ['url host', (s) => ({ ...s, url: s.url.replace('node.mfa.cy', 'node.eeas.eu') }), 'auth.bad_signature'],
    ['body', (s) => ({ ...s, body: utf8('{"draft":"BBBB"}') }), 'auth.digest_mismatch'],
    ['body with its digest recomputed', (s) => withHeader({ ...s, body: utf8('{}') }, 'content-digest', contentDigest(p, utf8('{}'))), 'auth.bad_signature'],
    ['created', (s) => withHeader(s, 'signature-input', s.headers['signature-input']!.replace('created=1767225600', 'created=1767225601')), 'auth.bad_signature'],
    ['nonce', (s) => withHeader(s, 'signature-input', s.headers['signature-input']!.replace('AAECAwQF', 'AAECAwQA')), 'auth.bad_signature'],
    ['keyid to another known device', (s) => withHeader(s, 'signature-input', s.headers['signature-input']!.replace(KEY_ID, OTHER_KEY_ID)), 'auth.bad_signature'],
    ['keyid to an unknown device', (s) => withHeader(s, 'signature-input', s.headers['signature-input']!.replace(KEY_ID, 'eve/d-1')), 'auth.unknown_device'],
    ['alg', (s) => withHeader(s, 'signature-input', s.headers['signature-input']!.replace('"ed25519"', '"hmac-sha256"')), 'auth.malformed_signature'],
    ['first signature byte', (s) => flipSignatureByte(s, 0), 'auth.bad_signature'],
    ['last signature byte', (s) => flipSignatureByte(s, 63), 'auth.bad_signature'],
    ['signer (another device signs under this keyid)', () => signed({ seed: OTHER_SEED }), 'auth.bad_signature'],
  ];
  for (const [what, tamper, code] of tampers) {
    it(`refuses a changed ${what}: ${code}, and records no nonce`, async () => {
      const { policy, nonces, calls } = await harness();
      assert.equal(await outcome(verify(await tamper(await signed()), policy)), code);
      assert.equal(nonces.size, 0);
      assert.equal(calls.seenNonce, 0);
    });
  }

  it('refuses created more than 60 s from the clock either way, and accepts exactly 60 s', async () => {
    const s = await signed();
    for (const [offset, code] of [[60_001, 'auth.clock_skew'], [-60_001, 'auth.clock_skew'], [60_000, 'ok'], [-60_000, 'ok']] as const) {
      assert.equal(await outcome(verify(s, (await harness(NOW + offset)).policy)), code, `offset ${offset}`);
    }
    const wide = await harness(NOW + 100_000);
    assert.equal(await outcome(verify(s, { ...wide.policy, maxSkewSeconds: 120 })), 'ok');
  });

  it('refuses a replayed nonce, but only once a valid signature has been recorded', async () => {
    const { policy, calls } = await harness();
    const s = await signed();
    // A forgery carrying the genuine nonce is refused for its signature and does not burn the nonce…
    assert.equal(await outcome(verify(flipSignatureByte(s, 5), policy)), 'auth.bad_signature');
    assert.equal(calls.seenNonce, 0);
    // …so the genuine request is still accepted, and only its replay is refused.
    assert.equal(await outcome(verify(s, policy)), 'ok');
    assert.equal(await outcome(verify(s, policy)), 'auth.replay');
    // The same nonce under another device's key id is that device's own nonce.
    assert.equal(await outcome(verify(await signed({ keyId: OTHER_KEY_ID, seed: OTHER_SEED }), policy)), 'ok');
  });

  it('checks in order: parse, clock, digest, key, signature, nonce', async () => {
    const s = await signed();
    const broken = withHeader({ ...s, body: utf8('x') }, 'signature', 'sig1=:AAAA:');
    assert.equal(await outcome(verify(broken, (await harness(NOW + 3_600_000)).policy)), 'auth.malformed_signature');
    const stale = await harness(NOW + 3_600_000);
    assert.equal(await outcome(verify({ ...s, body: utf8('x') }, stale.policy)), 'auth.clock_skew');
    const h = await harness();
    assert.equal(await outcome(verify({ ...s, body: utf8('x') }, h.policy)), 'auth.digest_mismatch');
    assert.equal(h.calls.resolveKey, 0);
    const unknown = await harness();
    const policy = { ...unknown.policy, resolveKey: () => Promise.resolve(new Uint8Array(32)) };
    assert.equal(await outcome(verify(s, policy)), 'auth.bad_signature');
    assert.equal(unknown.calls.seenNonce, 0);
  });

  it('passes on an AuthError the resolver throws (a revoked or unapproved device)', async () => {
    const { policy } = await harness();
    const rejecting = { ...policy, resolveKey: () => Promise.reject(new AuthError('auth.device_not_approved', 'pending')) };
    assert.equal(await outcome(verify(await signed(), rejecting)), 'auth.device_not_approved');
  });

  it('refuses missing signature headers (missing) and a missing Content-Digest (malformed)', async () => {
    const s = await signed();
    const drop = (name: string): Signed => ({ ...s, headers: Object.fromEntries(Object.entries(s.headers).filter(([k]) => k !== name)) });
    const { policy } = await harness();
    assert.equal(await outcome(verify(drop('signature'), policy)), 'auth.missing_signature');
    assert.equal(await outcome(verify(drop('signature-input'), policy)), 'auth.missing_signature');
    assert.equal(await outcome(verify(drop('content-digest'), policy)), 'auth.malformed_signature');
    assert.equal(await outcome(verify(s, policy)), 'ok');
  });
});
