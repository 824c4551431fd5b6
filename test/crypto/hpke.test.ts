// HPKE (RFC 9180) through every provider: the RFC's Appendix A vectors for the modes Chancery's HPKE implements,
// and byte-for-byte interop with @hpke/core for DHKEM(X25519) and @hpke/hybridkem-x-wing for the Chancery suite.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { XWing as HpkeXWing } from '@hpke/hybridkem-x-wing';
import { fromHex, toHex, utf8 } from '../../src/bytes.ts';
import {
  AeadIds,
  CHANCERY_SUITE,
  KdfIds,
  KemIds,
  deriveX25519PrivateKey,
  hpkeOpen,
  hpkeSeal,
  setupRecipient,
  setupSender,
  type AeadId,
  type HpkeSuite,
} from '../../src/crypto/hpke.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';

const providers: CryptoProvider[] = [nodeProvider, nobleProvider];
const vectorsUrl = new URL('../../../shared/vectors/hpke/rfc9180-appendix-a-test-vectors.json', import.meta.url);

interface RfcVector {
  mode: number;
  kem_id: number;
  kdf_id: number;
  aead_id: number;
  info: string;
  ikmE: string;
  skRm: string;
  pkRm: string;
  enc: string;
  psk?: string;
  psk_id?: string;
  encryptions: { aad: string; ct: string; nonce: string; pt: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

const all = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as RfcVector[];
// Chancery implements base and PSK modes over DHKEM(X25519)/HKDF-SHA256 (for these vectors) and X-Wing. The auth
// modes and the NIST curves are not part of any Chancery suite; they are counted, not run.
const applicable = all.filter((v) => v.kem_id === 0x20 && v.kdf_id === 1 && (v.mode === 0 || v.mode === 1));

describe('HPKE RFC 9180 Appendix A', () => {
  it('selects the applicable vectors', (t) => {
    assert.equal(all.length, 28);
    assert.equal(applicable.length, 6);
    t.diagnostic(`rfc9180: ${applicable.length} of ${all.length} vectors applicable (X25519 base+psk; auth modes and NIST curves not used)`);
  });
  for (const p of providers) {
    it(`reproduces enc, every ciphertext and every export [${p.name}]`, async (t) => {
      let encryptions = 0;
      let exports = 0;
      for (const v of applicable) {
        const suite: HpkeSuite = { kem: KemIds.DHKEM_X25519_HKDF_SHA256, kdf: KdfIds.HKDF_SHA256, aead: v.aead_id as AeadId };
        const psk = v.mode === 1 ? { psk: fromHex(v.psk!), pskId: fromHex(v.psk_id!) } : undefined;
        const sender = await setupSender(p, suite, fromHex(v.pkRm), fromHex(v.info), { seed: { ikm: fromHex(v.ikmE) }, ...(psk ? { psk } : {}) });
        assert.equal(toHex(sender.enc), v.enc);
        const recipient = await setupRecipient(p, suite, fromHex(v.enc), fromHex(v.skRm), fromHex(v.info), psk ? { psk } : {});
        // The vectors list sequence numbers 0,1,2,4,255,256 only; seal every message so the counters line up.
        const bySeq = new Map(v.encryptions.map((e, i) => [(e as { sequence_number?: number }).sequence_number ?? i, e]));
        const maxSeq = Math.max(-1, ...bySeq.keys());
        for (let seq = 0; seq <= maxSeq; seq++) {
          const e = bySeq.get(seq);
          const aad = e ? fromHex(e.aad) : new Uint8Array(0);
          const pt = e ? fromHex(e.pt) : new Uint8Array(0);
          const ct = await sender.context.seal(aad, pt);
          const opened = await recipient.open(aad, ct);
          if (e) {
            assert.equal(toHex(ct), e.ct, `seq ${seq}`);
            assert.equal(toHex(opened), e.pt);
            encryptions++;
          }
        }
        for (const x of v.exports) {
          assert.equal(toHex(recipient.export(fromHex(x.exporter_context), x.L)), x.exported_value);
          assert.equal(toHex(sender.context.export(fromHex(x.exporter_context), x.L)), x.exported_value);
          exports++;
        }
      }
      t.diagnostic(`rfc9180 [${p.name}]: ${applicable.length} vectors, ${encryptions} encryptions, ${exports} exports matched`);
      assert.ok(encryptions >= 24 && exports >= 18);
    });
    it(`derives the recipient key of every applicable vector [${p.name}]`, async () => {
      for (const v of applicable) {
        const sk = deriveX25519PrivateKey(p, fromHex((v as unknown as { ikmR: string }).ikmR));
        assert.equal(toHex(sk), v.skRm);
        assert.equal(toHex(await p.x25519PublicKey(sk)), v.pkRm);
      }
    });
  }
});

describe('HPKE interop', () => {
  for (const p of providers) {
    it(`DHKEM(X25519)/AES-256-GCM opens what @hpke/core seals and vice versa [${p.name}]`, async () => {
      const ref = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
      const suite: HpkeSuite = { kem: KemIds.DHKEM_X25519_HKDF_SHA256, kdf: KdfIds.HKDF_SHA256, aead: AeadIds.AES_256_GCM };
      const skR = p.randomBytes(32);
      const pkR = await p.x25519PublicKey(skR);
      const info = utf8('interop info');
      const aad = utf8('aad');
      const refKey = await ref.kem.deserializePrivateKey(skR.slice().buffer);
      const refPub = await ref.kem.deserializePublicKey(pkR.slice().buffer);
      const theirs = await ref.createSenderContext({ recipientPublicKey: refPub, info: info.slice().buffer });
      const theirCt = new Uint8Array(await theirs.seal(utf8('from @hpke/core').slice().buffer, aad.slice().buffer));
      const opened = await hpkeOpen(p, suite, skR, { enc: new Uint8Array(theirs.enc), cipherText: theirCt }, info, aad);
      assert.equal(new TextDecoder().decode(opened), 'from @hpke/core');
      const ours = await hpkeSeal(p, suite, pkR, info, aad, utf8('from chancery'));
      const recipient = await ref.createRecipientContext({ recipientKey: refKey, enc: ours.enc.slice().buffer, info: info.slice().buffer });
      const pt = new Uint8Array(await recipient.open(ours.cipherText.slice().buffer, aad.slice().buffer));
      assert.equal(new TextDecoder().decode(pt), 'from chancery');
    });

    it(`the Chancery suite (X-Wing) interoperates with @hpke/hybridkem-x-wing [${p.name}]`, async () => {
      const ref = new CipherSuite({ kem: new HpkeXWing(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
      const pair = await xwingGenerateKeyPair(p);
      const info = utf8('chancery interop');
      const aad = utf8('header digest');
      const refPub = await ref.kem.deserializePublicKey(pair.publicKey.slice().buffer);
      const refKey = await ref.kem.deserializePrivateKey(pair.secretKey.slice().buffer);
      const theirs = await ref.createSenderContext({ recipientPublicKey: refPub, info: info.slice().buffer });
      const theirCt = new Uint8Array(await theirs.seal(utf8('x-wing from @hpke').slice().buffer, aad.slice().buffer));
      const opened = await hpkeOpen(p, CHANCERY_SUITE, pair.secretKey, { enc: new Uint8Array(theirs.enc), cipherText: theirCt }, info, aad);
      assert.equal(new TextDecoder().decode(opened), 'x-wing from @hpke');
      const ours = await hpkeSeal(p, CHANCERY_SUITE, pair.publicKey, info, aad, utf8('x-wing from chancery'));
      assert.equal(ours.enc.length, 1120);
      const recipient = await ref.createRecipientContext({ recipientKey: refKey, enc: ours.enc.slice().buffer, info: info.slice().buffer });
      const pt = new Uint8Array(await recipient.open(ours.cipherText.slice().buffer, aad.slice().buffer));
      assert.equal(new TextDecoder().decode(pt), 'x-wing from chancery');
    });

    it(`refuses a wrong info, aad, key or a flipped bit, with one coarse error [${p.name}]`, async () => {
      const pair = await xwingGenerateKeyPair(p);
      const other = await xwingGenerateKeyPair(p);
      const info = utf8('info');
      const aad = utf8('aad');
      const sealed = await hpkeSeal(p, CHANCERY_SUITE, pair.publicKey, info, aad, utf8('secret'));
      const attempts = [
        () => hpkeOpen(p, CHANCERY_SUITE, pair.secretKey, sealed, utf8('other info'), aad),
        () => hpkeOpen(p, CHANCERY_SUITE, pair.secretKey, sealed, info, utf8('other aad')),
        () => hpkeOpen(p, CHANCERY_SUITE, other.secretKey, sealed, info, aad),
        () => {
          const ct = sealed.cipherText.slice();
          ct[0]! ^= 1;
          return hpkeOpen(p, CHANCERY_SUITE, pair.secretKey, { enc: sealed.enc, cipherText: ct }, info, aad);
        },
        () => {
          const enc = sealed.enc.slice();
          enc[5]! ^= 1;
          return hpkeOpen(p, CHANCERY_SUITE, pair.secretKey, { enc, cipherText: sealed.cipherText }, info, aad);
        },
      ];
      for (const attempt of attempts) await assert.rejects(attempt, { code: 'crypto.decrypt_failed' });
    });
  }

  it('the export-only AEAD id cannot seal', async () => {
    const suite: HpkeSuite = { kem: KemIds.DHKEM_X25519_HKDF_SHA256, kdf: KdfIds.HKDF_SHA256, aead: AeadIds.EXPORT_ONLY };
    const pk = await nodeProvider.x25519PublicKey(nodeProvider.randomBytes(32));
    const { context } = await setupSender(nodeProvider, suite, pk, new Uint8Array(0));
    await assert.rejects(() => context.seal(new Uint8Array(0), new Uint8Array(1)), { code: 'crypto.unsupported' });
  });
});
