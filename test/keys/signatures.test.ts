// Every signature over every key record fails when any one signed field changes by one byte (or one value), and
// when the signature itself does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Classifications } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { VerificationError } from '../../src/errors.ts';
import { verifyDeviceRecord } from '../../src/keys/device-record.ts';
import { ClosureReasons, signEpochClosure, verifyEpochClosure } from '../../src/keys/epoch-closure.ts';
import { issueGrant } from '../../src/keys/grant-seal.ts';
import { verifyKeyGrantSignatures } from '../../src/keys/key-grant.ts';
import { verifyNodeCertificate } from '../../src/keys/node-certificate.ts';
import { verifyOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { verifyOfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { verifyOrganisationRoot } from '../../src/keys/organisation-root.ts';
import { AT, NODE, OFFICE, T0, flipped, world } from './fixtures.ts';

const ENUMS: Record<string, readonly string[]> = { level: Classifications, reason: ClosureReasons };
const SIGNATURES = new Set(['signature', 'signatures']);

function changed(key: string, value: unknown): unknown[] {
  if (value instanceof Uint8Array) return [flipped(value), flipped(value, 0)];
  if (typeof value === 'number') return [value + 1];
  if (typeof value === 'string') {
    const allowed = ENUMS[key];
    if (allowed) return [allowed.find((v) => v !== value)];
    // The same case as the last character, so a changed id still parses (upper-case codes, lower-case user ids).
    const [x, y] = /[A-Z]$/.test(value) ? ['X', 'Y'] : ['x', 'y'];
    return [value.slice(0, -1) + (value.endsWith(x) ? y : x)];
  }
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => changed(key, item).map((c) => value.map((v: unknown, j) => (i === j ? c : v))));
  if (typeof value === 'object' && value !== null) return mutations(value).map(([, m]) => m);
  throw new Error(`no mutation for ${key}`);
}

/** Every copy of `record` with one signed field changed, named by its key. `kind` tags are left alone. */
function mutations(record: object): [string, object][] {
  return Object.entries(record)
    .filter(([key]) => !SIGNATURES.has(key) && key !== 'kind')
    .flatMap(([key, value]) => changed(key, value).map((c): [string, object] => [key, { ...record, [key]: c }]));
}

async function refused(run: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => e instanceof VerificationError && e.code === code, what);
}

describe('record signatures', () => {
  it('organisation root: self-signature covers every field', async () => {
    const { root } = await world(p);
    await verifyOrganisationRoot(p, root);
    const ms = mutations(root);
    assert.ok(ms.length >= 6);
    for (const [key, m] of ms) await refused(verifyOrganisationRoot(p, m as typeof root), 'verify.bad_signature', key);
    await refused(verifyOrganisationRoot(p, { ...root, signature: { ...root.signature, mlDsa65: flipped(root.signature.mlDsa65) } }), 'verify.bad_signature', 'ML-DSA half');
    await refused(verifyOrganisationRoot(p, { ...root, signature: { ...root.signature, ed25519: flipped(root.signature.ed25519) } }), 'verify.bad_signature', 'Ed25519 half');
  });

  it('node and officer certificates: the root signature covers every field', async () => {
    const w = await world(p);
    await verifyNodeCertificate(p, w.nodeCert, w.anchor, AT);
    for (const [key, m] of mutations(w.nodeCert)) {
      await refused(verifyNodeCertificate(p, m as typeof w.nodeCert, w.anchor, AT), key === 'org' ? 'verify.untrusted_key' : 'verify.bad_signature', key);
    }
    for (const [key, m] of mutations(w.olga.cert)) {
      await refused(verifyOfficerCertificate(p, m as typeof w.olga.cert, w.anchor, AT), key === 'org' ? 'verify.untrusted_key' : 'verify.bad_signature', key);
    }
    const sig = w.olga.cert.signature;
    await refused(verifyOfficerCertificate(p, { ...w.olga.cert, signature: { ...sig, mlDsa65: flipped(sig.mlDsa65) } }, w.anchor, AT), 'verify.bad_signature', 'ML-DSA half');
    await refused(verifyNodeCertificate(p, { ...w.nodeCert, signature: sig }, w.anchor, AT), 'verify.bad_signature', 'another record’s signature');
  });

  it('device records: the approver signature covers every field, approval included', async () => {
    const w = await world(p);
    for (const [device, approver] of [
      [w.annaLaptop.record, w.olga.cert.signingKey.ed25519],
      [w.annaPhone.record, w.annaLaptop.record.signingKey],
    ] as const) {
      await verifyDeviceRecord(p, device, approver);
      const ms = mutations(device);
      assert.ok(ms.some(([key]) => key === 'approval'));
      for (const [key, m] of ms) await refused(verifyDeviceRecord(p, m as typeof device, approver), 'verify.bad_signature', key);
      await refused(verifyDeviceRecord(p, { ...device, signature: flipped(device.signature) }, approver), 'verify.bad_signature', 'signature');
      await refused(verifyDeviceRecord(p, device, w.otto.cert.signingKey.ed25519), 'verify.bad_signature', 'another key');
    }
  });

  it('office epochs and closures: the officer signature covers every field', async () => {
    const w = await world(p);
    const key = w.olga.cert.signingKey.ed25519;
    await verifyOfficeEpoch(p, w.epoch, key);
    for (const [k, m] of mutations(w.epoch)) await refused(verifyOfficeEpoch(p, m as typeof w.epoch, key), 'verify.bad_signature', k);
    await refused(verifyOfficeEpoch(p, { ...w.epoch, signature: flipped(w.epoch.signature) }, key), 'verify.bad_signature', 'signature');

    const closure = await signEpochClosure(
      p,
      { office: OFFICE, node: NODE, level: 'CONFIDENTIAL', epoch: 0, closedAt: T0 + 2, reason: 'member-left', closedBy: w.olga.user },
      w.olga.seed,
    );
    await verifyEpochClosure(p, closure, key);
    for (const [k, m] of mutations(closure)) await refused(verifyEpochClosure(p, m as typeof closure, key), 'verify.bad_signature', k);
    await refused(verifyEpochClosure(p, { ...closure, signature: w.epoch.signature }, key), 'verify.bad_signature', 'an epoch’s signature');
  });

  it('key grants: every issuer signature covers every field', async () => {
    const w = await world(p);
    const grant = await issueGrant(p, {
      epochSecret: w.epochKey.secretKey,
      epoch: w.verifiedEpoch,
      recipient: w.laptop,
      officers: [w.olga, w.otto].map((o) => ({ user: o.user, signingSeed: o.seed })),
      issuedAt: AT,
    });
    const keys = [w.olga.cert.signingKey.ed25519, w.otto.cert.signingKey.ed25519];
    await verifyKeyGrantSignatures(p, grant, keys);
    for (const [k, m] of mutations(grant)) await refused(verifyKeyGrantSignatures(p, m as typeof grant, keys), 'verify.bad_signature', k);
    await refused(verifyKeyGrantSignatures(p, { ...grant, signatures: [grant.signatures[0]!, flipped(grant.signatures[1]!)] }, keys), 'verify.bad_signature', 'second signature');
    await refused(verifyKeyGrantSignatures(p, grant, [...keys].reverse()), 'verify.bad_signature', 'keys out of order');
    await refused(verifyKeyGrantSignatures(p, grant, keys.slice(0, 1)), 'verify.record_invalid', 'one key short');
  });
});
