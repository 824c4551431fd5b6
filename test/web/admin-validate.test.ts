// The Admin forms' checks: each field's problem carries the core's code for that grammar, every problem is reported
// at once, and a form that passes yields exactly what the client library sends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkOffice, checkUser, splitList } from '../../web/src/admin/admin-validate.ts';

const codes = (problems: readonly { code: string }[] | undefined) => (problems ?? []).map((p) => p.code);

describe('Admin form checks', () => {
  it('refuses a malformed office code, an empty name and a bad community, all at once, with their codes', () => {
    const r = checkOffice({ code: 'eeas del mexico', name: '  ', ceiling: 'SECRET', communities: 'EU, E1' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(codes(r.problems.code), ['cable.office.format']);
    assert.deepEqual(codes(r.problems.name), ['cable.field.missing']);
    assert.deepEqual(codes(r.problems.communities), ['cable.releasable_to.format']);
  });

  it('accepts a well-formed office, communities upper-cased and split on commas or spaces', () => {
    assert.deepEqual(checkOffice({ code: 'EEAS.DEL.MEXICO', name: ' EU Delegation to Mexico ', ceiling: 'CONFIDENTIAL', communities: 'eu mx' }), {
      ok: true,
      value: { code: 'EEAS.DEL.MEXICO', name: 'EU Delegation to Mexico', ceiling: 'CONFIDENTIAL', communities: ['EU', 'MX'] },
    });
    const twice = checkOffice({ code: 'EEAS.X', name: 'X', ceiling: 'LIMITED', communities: 'EU, EU' });
    assert.equal(twice.ok, false);
  });

  it('refuses a malformed user id, nationality and caveat, and a missing office, with their codes', () => {
    const r = checkUser({ id: 'Rosa Martinez', name: 'Rosa', clearance: 'SECRET', nationality: 'ESP', organisations: 'EU', caveats: 'EYES  ONLY', office: '' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(codes(r.problems.id), ['cable.user.format']);
    assert.deepEqual(codes(r.problems.nationality), ['cable.releasable_to.format']);
    assert.deepEqual(codes(r.problems.caveats), ['cable.caveat.format']);
    assert.deepEqual(codes(r.problems.office), ['cable.field.missing']);
  });

  it('accepts a well-formed user; caveats keep their inner spaces', () => {
    const r = checkUser({ id: 'rosa.martinez', name: 'Rosa Martínez', clearance: 'SECRET', nationality: 'es', organisations: 'eu, nato', caveats: 'eyes only, CRYPTO', office: 'EEAS.DEL.MEXICO' });
    assert.deepEqual(r, {
      ok: true,
      value: { id: 'rosa.martinez', name: 'Rosa Martínez', clearance: 'SECRET', nationality: 'ES', organisations: ['EU', 'NATO'], caveats: ['EYES ONLY', 'CRYPTO'], office: 'EEAS.DEL.MEXICO' },
    });
    assert.deepEqual(splitList(' a, b  c ,'), ['a', 'b', 'c']);
    assert.deepEqual(splitList('EYES ONLY, CRYPTO', true), ['EYES ONLY', 'CRYPTO']);
  });
});
