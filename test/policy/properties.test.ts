// Property tests: each decision matches an independent statement of its rule, and the rules are monotone in the
// directions DESIGN.md relies on (more clearance never hurts; more caveats never help; office keys imply reading).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Classifications } from '../../src/cable/types.ts';
import type { Classification, Marking, OfficeCode, RoutingHeader } from '../../src/cable/types.ts';
import {
  DenialCodes,
  assertAllowed,
  denialCodes,
  mayDraft,
  mayHoldOfficeKey,
  mayIssueGrant,
  mayRead,
  mayReceive,
  mayRelease,
  officersRequired,
  readableLevels,
} from '../../src/policy/index.ts';
import type { Decision, DenialCode, PolicyUser } from '../../src/policy/index.ts';
import {
  CAVEATS,
  COMMUNITIES,
  classification,
  headerArb,
  markingArb,
  office,
  officerOf,
  policyOffice,
  policyUser,
  releaseScenario,
} from './arbitraries.ts';

const RUNS = { numRuns: 1000 };
const C = DenialCodes;

// An independent statement of the rules, from the brief and DESIGN.md, not from src/policy.
const lvl = (c: Classification): number => Classifications.indexOf(c);
const communities = (u: PolicyUser): string[] => [u.nationality, ...u.organisations];
const releasable = (held: readonly string[], m: Marking): boolean =>
  m.releasableTo.length === 0 || m.releasableTo.some((c) => held.includes(c));
const isMemberOf = (u: PolicyUser, o: OfficeCode): boolean => u.memberships.some((m) => m.office === o);
const addressed = (h: RoutingHeader, o: OfficeCode): boolean => h.from === o || h.to.includes(o) || h.info.includes(o);

function readOracle(u: PolicyUser, h: RoutingHeader, via: OfficeCode): Set<DenialCode> {
  const s = new Set<DenialCode>();
  if (u.frozen) s.add(C.userFrozen);
  if (!u.active) s.add(C.userInactive);
  if (lvl(u.clearance) < lvl(h.marking.classification)) s.add(C.clearanceInsufficient);
  if (!h.marking.caveats.every((c) => u.caveats.includes(c))) s.add(C.caveatMissing);
  if (!releasable(communities(u), h.marking)) s.add(C.releasabilityExcluded);
  if (!isMemberOf(u, via)) s.add(C.needToKnowNotMember);
  if (!addressed(h, via)) s.add(C.officeNotAddressed);
  return s;
}

const codeSet = (d: Decision): Set<DenialCode> => new Set(denialCodes(d));
const withMarking = (h: RoutingHeader, m: Partial<Marking>): RoutingHeader => ({ ...h, marking: { ...h.marking, ...m } });

describe('mayRead properties', () => {
  it('allowed ⇒ dominates, caveats held, member, addressed, releasable, active, not frozen', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, (u, h, via) => {
        if (!mayRead(u, h, via).allowed) return;
        assert.ok(lvl(u.clearance) >= lvl(h.marking.classification));
        assert.ok(h.marking.caveats.every((c) => u.caveats.includes(c)));
        assert.ok(isMemberOf(u, via) && addressed(h, via));
        assert.ok(releasable(communities(u), h.marking));
        assert.ok(u.active && !u.frozen);
      }),
      RUNS,
    );
  });

  it('reports exactly the failing conditions (and one caveat reason per missing caveat)', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, (u, h, via) => {
        const d = mayRead(u, h, via);
        assert.deepEqual(codeSet(d), readOracle(u, h, via));
        const missing = new Set(h.marking.caveats.filter((c) => !u.caveats.includes(c))).size;
        assert.equal(denialCodes(d).filter((c) => c === C.caveatMissing).length, missing);
      }),
      RUNS,
    );
  });

  it('is allowed often enough that the properties are not vacuous', () => {
    const samples = fc.sample(fc.tuple(policyUser, headerArb, office), { numRuns: 2000, seed: 42 });
    const allowed = samples.filter(([u, h, via]) => mayRead(u, h, via).allowed).length;
    assert.ok(allowed >= 40, `only ${allowed} of 2000 allowed`);
  });

  it('raising the clearance never turns allow into deny', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, fc.nat(4), (u, h, via, up) => {
        const higher = Classifications[Math.min(4, lvl(u.clearance) + up)] ?? 'SECRET';
        if (mayRead(u, h, via).allowed) assert.ok(mayRead({ ...u, clearance: higher }, h, via).allowed);
      }),
      RUNS,
    );
  });

  it('raising the classification never turns deny into allow', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, classification, (u, h, via, c) => {
        if (lvl(c) < lvl(h.marking.classification)) return;
        if (!mayRead(u, h, via).allowed) assert.ok(!mayRead(u, withMarking(h, { classification: c }), via).allowed);
      }),
      RUNS,
    );
  });

  it('adding a caveat to the marking never turns deny into allow', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, fc.constantFrom(...CAVEATS), (u, h, via, cav) => {
        const more = withMarking(h, { caveats: [...h.marking.caveats, cav] });
        if (!mayRead(u, h, via).allowed) assert.ok(!mayRead(u, more, via).allowed);
        if (mayRead(u, more, via).allowed) assert.ok(mayRead(u, h, via).allowed);
      }),
      RUNS,
    );
  });

  it('adding a community to a restricted marking never removes an allowed reader', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, fc.constantFrom(...COMMUNITIES), (u, h, via, community) => {
        if (h.marking.releasableTo.length === 0) return;
        const wider = withMarking(h, { releasableTo: [...h.marking.releasableTo, community] });
        if (mayRead(u, h, via).allowed) assert.ok(mayRead(u, wider, via).allowed);
      }),
      RUNS,
    );
  });

  it('is deterministic and agrees with assertAllowed', () => {
    fc.assert(
      fc.property(policyUser, headerArb, office, (u, h, via) => {
        const d = mayRead(u, h, via);
        assert.deepEqual(mayRead(u, h, via), d);
        if (d.allowed) assertAllowed(d);
        else {
          assert.ok(d.reasons.length > 0);
          assert.throws(() => assertAllowed(d), { code: 'policy.denied' });
        }
      }),
      RUNS,
    );
  });
});

describe('mayReceive properties', () => {
  it('allowed ⇔ ceiling dominates and (unrestricted or a shared community)', () => {
    fc.assert(
      fc.property(policyOffice, markingArb, (o, m) => {
        const expected = new Set<DenialCode>();
        if (lvl(o.ceiling) < lvl(m.classification)) expected.add(C.officeCeilingExceeded);
        if (!releasable(o.communities, m)) expected.add(C.officeNotReleasable);
        assert.deepEqual(codeSet(mayReceive(o, m)), expected);
      }),
      RUNS,
    );
  });

  it('adding a community to a restricted marking never removes an allowed office', () => {
    fc.assert(
      fc.property(policyOffice, markingArb, fc.constantFrom(...COMMUNITIES), (o, m, community) => {
        if (m.releasableTo.length === 0 || !mayReceive(o, m).allowed) return;
        assert.ok(mayReceive(o, { ...m, releasableTo: [...m.releasableTo, community] }).allowed);
      }),
      RUNS,
    );
  });
});

describe('mayRelease and mayDraft properties', () => {
  it('release allowed ⇒ a releasing officer of from with ceiling ≥ level, the named releaser, not the drafter', () => {
    let allowedCount = 0;
    fc.assert(
      fc.property(releaseScenario, ([h, u]) => {
        if (!mayRelease(u, h).allowed) return;
        allowedCount++;
        const ceilings = u.memberships.flatMap((m) => (m.office === h.from && m.role === 'releasing-officer' ? [m.releaseCeiling] : []));
        assert.ok(ceilings.length > 0 && ceilings.every((c) => lvl(c) >= lvl(h.marking.classification)));
        assert.ok(h.releaser === u.id && h.drafter !== u.id);
        assert.equal(readOracle(u, h, h.from).size, 0, 'a releaser may read the cable at its office');
      }),
      { numRuns: 2000 },
    );
    assert.ok(allowedCount >= 30, `only ${allowedCount} releases allowed`);
  });

  it('draft allowed ⇔ may read via from and is the named drafter', () => {
    fc.assert(
      fc.property(policyUser, headerArb, (u, h) => {
        const expected = readOracle(u, h, h.from);
        if (h.drafter !== u.id) expected.add(C.draftNotDrafter);
        assert.deepEqual(codeSet(mayDraft(u, h)), expected);
      }),
      RUNS,
    );
  });

  it('raising the clearance never turns allow into deny; adding a caveat never turns deny into allow', () => {
    fc.assert(
      fc.property(releaseScenario, fc.constantFrom(...CAVEATS), ([h, u], cav) => {
        const more = withMarking(h, { caveats: [...h.marking.caveats, cav] });
        for (const decide of [mayRelease, mayDraft]) {
          if (decide(u, h).allowed) assert.ok(decide({ ...u, clearance: 'SECRET' }, h).allowed);
          if (!decide(u, h).allowed) assert.ok(!decide(u, more).allowed);
        }
      }),
      RUNS,
    );
  });
});

describe('office key properties', () => {
  it('allowed at a level ⇒ allowed at every lower level; readableLevels is that prefix', () => {
    fc.assert(
      fc.property(policyUser, policyOffice, (u, o) => {
        const allowed = Classifications.map((c) => mayHoldOfficeKey(u, o, c).allowed);
        for (let i = 1; i < allowed.length; i++) if (allowed[i]) assert.ok(allowed[i - 1]);
        const levels = readableLevels(u, o);
        assert.deepEqual(levels, Classifications.slice(0, levels.length));
        assert.deepEqual(levels, Classifications.filter((_, i) => allowed[i]));
      }),
      RUNS,
    );
  });

  it('raising the clearance never turns allow into deny', () => {
    fc.assert(
      fc.property(policyUser, policyOffice, classification, classification, (u, o, level, higher) => {
        if (lvl(higher) < lvl(u.clearance) || !mayHoldOfficeKey(u, o, level).allowed) return;
        assert.ok(mayHoldOfficeKey({ ...u, clearance: higher }, o, level).allowed);
      }),
      RUNS,
    );
  });

  it('a key holder may read a cable of that level addressed to the office when caveats and releasability permit', () => {
    fc.assert(
      fc.property(policyUser, policyOffice, classification, headerArb, (u, o, level, h0) => {
        fc.pre(mayHoldOfficeKey(u, o, level).allowed);
        const own = communities(u);
        const h = {
          ...h0,
          to: [...h0.to, o.code],
          marking: {
            classification: level,
            caveats: h0.marking.caveats.filter((c) => u.caveats.includes(c)),
            releasableTo: h0.marking.releasableTo.length === 0 ? [] : [...h0.marking.releasableTo, own[0] ?? 'CY'],
          },
        };
        assert.deepEqual(denialCodes(mayRead(u, h, o.code)), []);
        // The office may receive it too when its own communities permit.
        if (releasable(o.communities, h.marking)) assert.ok(mayReceive(o, h.marking).allowed);
      }),
      RUNS,
    );
  });
});

describe('mayIssueGrant properties', () => {
  const scenario = policyOffice.chain((o) =>
    fc.tuple(fc.constant(o), fc.array(officerOf(o.code), { maxLength: 3 }), policyUser, classification),
  );

  it('allowed ⇒ recipient may hold the key, enough distinct qualified officers, none the recipient', () => {
    let allowedCount = 0;
    fc.assert(
      fc.property(scenario, ([o, officers, recipient, level]) => {
        if (!mayIssueGrant(officers, recipient, o, level).allowed) return;
        allowedCount++;
        assert.ok(mayHoldOfficeKey(recipient, o, level).allowed);
        const ids = officers.map((x) => x.id);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(officers.length >= officersRequired(level));
        assert.ok(level === 'CONFIDENTIAL' || level === 'SECRET' ? officers.length >= 2 : officers.length >= 1);
        for (const officer of officers) {
          assert.notEqual(officer.id, recipient.id);
          assert.ok(officer.memberships.some((m) => m.office === o.code && m.role === 'security-officer'));
          assert.ok(mayHoldOfficeKey(officer, o, level).allowed, 'an issuing officer may hold the key it seals');
        }
      }),
      { numRuns: 3000 },
    );
    assert.ok(allowedCount >= 30, `only ${allowedCount} grants allowed`);
  });

  it('adding an officer who is frozen never turns deny into allow, and always denies', () => {
    fc.assert(
      fc.property(scenario, policyUser, ([o, officers, recipient, level], extra) => {
        const frozen = { ...extra, frozen: true };
        assert.ok(!mayIssueGrant([...officers, frozen], recipient, o, level).allowed);
      }),
      RUNS,
    );
  });
});
