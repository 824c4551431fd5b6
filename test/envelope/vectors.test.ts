// The published envelope vectors: rebuilt byte for byte by every provider, and checked step by step from the file
// alone, as a second implementation would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Cable, DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { fromBase64, fromHex, toHex, xorBytes } from '../../src/bytes.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import { CHANCERY_SUITE, hpkeOpen } from '../../src/crypto/hpke.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { deriveContentKeys, unpad } from '../../src/envelope/content.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openCable, openReleaseShares } from '../../src/envelope/open.ts';
import { VerificationError } from '../../src/errors.ts';
import { buildEnvelopeVectors } from '../support/envelope-vectors.ts';

interface OfficeVector {
  office: string;
  node: string;
  epoch: number;
  epoch_secret_key: string;
  first_share?: string;
  info: string;
  enc: string;
  cipher_text: string;
}
interface Vector {
  name: string;
  cable: { header: Cable['header']; content: Omit<Cable['content'], 'attachments'> & { attachments: { name: string; mediaType: string; data: string }[] } };
  routing_header: string;
  protected_part: string;
  content_key: string;
  content_encryption_key: string;
  content_nonce: string;
  commitment_key: string;
  content: string;
  offices: OfficeVector[];
  release: { node: string; release_secret_key: string }[];
  signatures: { user: string; device: string; ed25519_public_key: string }[];
  envelope: string;
}

const fileUrl = new URL('../vectors/chancery-envelope-v1.json', import.meta.url);
const file = JSON.parse(readFileSync(fileUrl, 'utf8')) as { vectors: Vector[] };
const p = nodeProvider;

function cableOf(v: Vector): Cable {
  return { header: v.cable.header, content: { ...v.cable.content, attachments: v.cable.content.attachments.map((a) => ({ ...a, data: fromBase64(a.data) })) } };
}

describe('envelope vectors (test/vectors/chancery-envelope-v1.json)', () => {
  for (const provider of [nodeProvider, nobleProvider]) {
    it(`are reproduced byte for byte [${provider.name}]`, async (t) => {
      const rebuilt = await buildEnvelopeVectors(provider);
      assert.deepEqual(JSON.parse(JSON.stringify(rebuilt)), JSON.parse(readFileSync(fileUrl, 'utf8')));
      t.diagnostic(`${file.vectors.length} envelope vectors reproduced`);
    });
  }

  for (const v of file.vectors) {
    it(`${v.name}: verifies and opens for every office, each step matching the file`, async () => {
      const envelope = decodeEnvelope(fromHex(v.envelope));
      assert.equal(toHex(envelope.header.routing), v.routing_header);
      const keys = new Map(v.signatures.map((s) => [`${s.user}/${s.device}`, fromHex(s.ed25519_public_key)]));
      const resolve = (user: UserId, device: DeviceId) => {
        const key = keys.get(`${user}/${device}`);
        if (!key) throw new VerificationError('verify.untrusted_key', 'unknown signer');
        return key;
      };
      const verified = await verifyEnvelope(p, envelope, resolve);
      const derived = deriveContentKeys(p, fromHex(v.content_key));
      assert.equal(toHex(derived.encryptionKey), v.content_encryption_key);
      assert.equal(toHex(derived.nonce), v.content_nonce);
      assert.equal(toHex(derived.commitmentKey), v.commitment_key);
      const padded = await p.aeadOpen('aes-256-gcm', derived.encryptionKey, derived.nonce, fromHex(v.routing_header), fromHex(v.content));
      assert.equal(toHex(unpad(padded)), v.protected_part);
      const shares = new Map<string, Uint8Array>();
      for (const r of v.release) {
        const got = await openReleaseShares(p, verified, r.node as NodeName, fromHex(r.release_secret_key));
        for (const [office, share] of got) shares.set(office, share);
      }
      for (const o of v.offices) {
        const wrapped = await hpkeOpen(p, CHANCERY_SUITE, fromHex(o.epoch_secret_key), { enc: fromHex(o.enc), cipherText: fromHex(o.cipher_text) }, fromHex(o.info), new Uint8Array(0));
        if (o.first_share) {
          assert.equal(toHex(wrapped), o.first_share);
          assert.equal(toHex(xorBytes(wrapped, shares.get(o.office)!)), v.content_key);
        } else {
          assert.equal(toHex(wrapped), v.content_key);
        }
        const releaseShare = shares.get(o.office);
        const opened = await openCable(p, verified, {
          office: o.office as OfficeCode,
          epoch: o.epoch,
          secretKey: fromHex(o.epoch_secret_key),
          ...(releaseShare ? { releaseShare } : {}),
        });
        assert.deepEqual(opened, cableOf(v));
      }
    });
  }
});
