// Sealed drafts (docs/envelope.md "Drafts"; docs/decisions/015-release-gated-drafts.md): base mode to the office key
// when the marking needs no release, PSK mode under a draft share held only by the release service otherwise, the
// bundle covered by the drafter's signature and bound to its draft, and strict decoding.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cable, CableId, Classification, Marking, NodeName } from '../../src/cable/types.ts';
import { assertValidCable } from '../../src/cable/validate.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { decodeSealedDraft, draftSignatureMessage, encodeSealedDraft, openDraft, sealDraft, verifyDraftSignature, type SealedDraft } from '../../src/envelope/draft.ts';
import { openDraftRelease } from '../../src/envelope/draft-release.ts';
import { sampleCable } from '../cable/fixtures.ts';

const NODE = 'EEAS' as NodeName;
type KeyPair = { publicKey: Uint8Array; secretKey: Uint8Array };
let office: KeyPair;
let otherOffice: KeyPair;
let release: KeyPair;
let otherRelease: KeyPair;
const drafterSeed = p.randomBytes(32);
let drafterKey: Uint8Array;
const drafter = { device: 'd-anna-1' as SealedDraft['device'], sign: (m: Uint8Array) => p.ed25519Sign(drafterSeed, m) };

before(async () => {
  office = await xwingGenerateKeyPair(p);
  otherOffice = await xwingGenerateKeyPair(p);
  release = await xwingGenerateKeyPair(p);
  otherRelease = await xwingGenerateKeyPair(p);
  drafterKey = await p.ed25519PublicKey(drafterSeed);
});

function cableOf(marking: Marking, serial = 123): Cable {
  const id = `EEAS.DEL.WASHINGTON/2026/${String(serial).padStart(6, '0')}` as CableId;
  return assertValidCable({ ...sampleCable, header: { ...sampleCable.header, id, marking } });
}

const plain = (classification: Classification): Marking => ({ classification, caveats: [], releasableTo: [] });

function seal(cable: Cable, service = { node: NODE, publicKey: release.publicKey }) {
  return sealDraft(p, cable, { epoch: 3, publicKey: office.publicKey }, service, drafter);
}

/** The release service's side: the draft share out of the bundle. */
function shareOf(d: SealedDraft, secretKey = release.secretKey, node = NODE): Promise<Uint8Array> {
  assert.ok(d.release, 'the draft carries a release bundle');
  return openDraftRelease(p, d, d.release, node, secretKey);
}

/** The draft's canonical map, edited, encoded again: what a node or attacker could file. */
function edited(d: SealedDraft, edit: (m: Record<string, CborValue>) => void): Uint8Array {
  const m = decodeCanonical(encodeSealedDraft(d), 1 << 26) as Record<string, CborValue>;
  edit(m);
  return encodeCanonical(m);
}

describe('sealed drafts', () => {
  it('an UNCLASSIFIED draft without caveats is base mode: no bundle, the office key alone opens it', async () => {
    const cable = cableOf(plain('UNCLASSIFIED'));
    const d = decodeSealedDraft(encodeSealedDraft(await seal(cable)));
    assert.equal(d.release, null);
    await verifyDraftSignature(p, d, drafterKey);
    assert.deepEqual(await openDraft(p, d, office.secretKey), cable);
  });

  for (const marking of [plain('LIMITED'), plain('SECRET'), { classification: 'UNCLASSIFIED', caveats: [], releasableTo: ['EU'] } satisfies Marking, sampleCable.header.marking]) {
    it(`${marking.classification.startsWith('U') ? 'an' : 'a'} ${marking.classification} draft${marking.caveats.length + marking.releasableTo.length > 0 ? ' with a handling restriction' : ''} opens with the office key and the draft share together, round trip through its bytes`, async () => {
      const cable = cableOf(marking);
      const bytes = encodeSealedDraft(await seal(cable));
      const d = decodeSealedDraft(bytes);
      assert.deepEqual(encodeSealedDraft(d), bytes);
      assert.ok(d.release);
      assert.deepEqual([d.release.node, d.release.keyHash], [NODE, p.sha256(release.publicKey)]);
      assert.deepEqual([d.level, d.caveats, d.releasableTo], [marking.classification, marking.caveats, marking.releasableTo]);
      await verifyDraftSignature(p, d, drafterKey);
      assert.deepEqual(await openDraft(p, d, office.secretKey, await shareOf(d)), cable);
    });
  }

  it('a LIMITED draft does not open with the office key alone, nor with a wrong share, nor with the release key', async () => {
    const d = await seal(cableOf(plain('LIMITED')));
    await assert.rejects(openDraft(p, d, office.secretKey), { code: 'open.share_required' });
    for (const wrong of [new Uint8Array(32), p.randomBytes(32), new Uint8Array(31)]) {
      await assert.rejects(openDraft(p, d, office.secretKey, wrong), { code: 'open.failed' });
    }
    // Another draft's share does not fit: each draft has its own.
    const other = await seal(cableOf(plain('LIMITED'), 124));
    await assert.rejects(openDraft(p, d, office.secretKey, await shareOf(other)), { code: 'open.failed' });
    // The release service's key with the share, but no office key: nothing.
    await assert.rejects(openDraft(p, d, release.secretKey, await shareOf(d)), { code: 'open.failed' });
    await assert.rejects(openDraft(p, d, otherOffice.secretKey, await shareOf(d)), { code: 'open.failed' });
  });

  it('the bundle opens only for its own release service', async () => {
    const d = await seal(cableOf(plain('RESTRICTED')));
    await assert.rejects(shareOf(d, otherRelease.secretKey), { code: 'open.not_addressed' });
    await assert.rejects(shareOf(d, release.secretKey, 'MFA.CY' as NodeName), { code: 'open.not_addressed' });
    await assert.rejects(shareOf(d, office.secretKey), { code: 'open.not_addressed' });
  });

  it('a tampered bundle fails the drafter signature', async () => {
    const d = await seal(cableOf(plain('LIMITED')));
    const other = await seal(cableOf(plain('LIMITED')));
    assert.ok(d.release && other.release);
    const flipped = Uint8Array.from(d.release.cipherText, (b, i) => (i === 0 ? b ^ 1 : b));
    for (const bundle of [{ ...d.release, cipherText: flipped }, other.release]) {
      await assert.rejects(verifyDraftSignature(p, { ...d, release: bundle }, drafterKey), { code: 'verify.bad_signature' });
    }
    // Dropping the bundle is refused by the decoder (the marking requires one) and by the signature alike.
    await assert.rejects(verifyDraftSignature(p, { ...d, release: null }, drafterKey), { code: 'verify.bad_signature' });
    assert.throws(() => decodeSealedDraft(edited(d, (m) => delete m.release)), { code: 'encoding.malformed' });
  });

  it('a bundle moved to another draft, office or level does not open there, even re-signed by the drafter', async () => {
    const d = await seal(cableOf(plain('LIMITED')));
    const target = await seal(cableOf(plain('LIMITED'), 124));
    assert.ok(d.release);
    // The drafter's own device re-signs the swap, so only the bundle's HPKE binding stands in the way.
    const moved = { ...target, release: d.release };
    const resigned = { ...moved, signature: await drafter.sign(draftSignatureMessage(p, moved)) };
    await verifyDraftSignature(p, resigned, drafterKey);
    await assert.rejects(shareOf(resigned), { code: 'open.failed' });
    for (const rebound of [{ ...d, from: 'EEAS.HQ.AMERICAS' as SealedDraft['from'] }, { ...d, level: 'RESTRICTED' as const }]) {
      await assert.rejects(shareOf(rebound), { code: 'open.failed' });
    }
  });

  it('decodes strictly: a bundle on a draft that needs none, unknown or missing keys, a short share', async () => {
    const base = await seal(cableOf(plain('UNCLASSIFIED')));
    const limited = await seal(cableOf(plain('LIMITED')));
    const bundle = decodeCanonical(encodeSealedDraft(limited), 1 << 26) as Record<string, CborValue>;
    const refusals: Uint8Array[] = [
      edited(base, (m) => (m.release = bundle.release!)),
      edited(limited, (m) => (m.extra = 1)),
      edited(limited, (m) => delete m.caveats),
      edited(limited, (m) => ((m.release as Record<string, CborValue>).cipherText = new Uint8Array(47))),
      edited(limited, (m) => ((m.release as Record<string, CborValue>).extra = 1)),
      edited(limited, (m) => (m.caveats = ['lower case'])),
    ];
    for (const bytes of refusals) assert.throws(() => decodeSealedDraft(bytes), (e: unknown) => (e as { code?: string }).code?.startsWith('encoding.') === true);
  });

  it('a draft whose clear marking is not its sealed one does not open', async () => {
    const cable = cableOf({ classification: 'LIMITED', caveats: [], releasableTo: ['EU'] });
    const d = await seal(cable);
    // The clear marking says no releasability; the bundle still opens (its info binds id, office and level only),
    // but the cable inside contradicts the label.
    await assert.rejects(openDraft(p, { ...d, releasableTo: [] }, office.secretKey, await shareOf(d)), { code: 'open.failed' });
  });
});
