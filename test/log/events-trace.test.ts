// Log entries as issue 7's trace lines, so the detector reads the live log and trace.jsonl files alike.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CableId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { decodeLogEntry, encodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { TraceKinds, toTraceLine } from '../../src/log/trace-line.ts';
import { ENTRY_ARBITRARIES, SAMPLE_READ, anyEntry } from './events-fixtures.ts';

/** Issue 7 "Trace line format", verbatim. */
const ISSUE_7_SAMPLE =
  '{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-0042","device":"d-0042-1","ip":"10.20.1.7","cable":"EEAS.DEL.WASHINGTON/2026/000123","office":"MFA.CY.AMERICAS","level":"LIMITED","tags":["PREL","US"],"age_days":3,"canary":false}';

describe('trace lines (issue 7)', () => {
  it('turns the sample read into issue 7’s example line exactly, from the entry and from its leaf', () => {
    assert.equal(toTraceLine(SAMPLE_READ, { ip: '10.20.1.7', canary: false }), ISSUE_7_SAMPLE);
    assert.equal(toTraceLine(decodeLogEntry(encodeLogEntry(SAMPLE_READ)), { ip: '10.20.1.7', canary: false }), ISSUE_7_SAMPLE);
  });

  it('leaves out what is unknown: an erased address, an unknown age, an unknown canary status', () => {
    const { ageDays, ...noAge } = SAMPLE_READ;
    assert.equal(ageDays, 3);
    assert.equal(
      toTraceLine(noAge),
      '{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-0042","device":"d-0042-1","cable":"EEAS.DEL.WASHINGTON/2026/000123","office":"MFA.CY.AMERICAS","level":"LIMITED","tags":["PREL","US"]}',
    );
    assert.match(toTraceLine(SAMPLE_READ, { canary: true }) ?? '', /"age_days":3,"canary":true}$/);
  });

  it('maps login, search and device enrollment, with their fields only', () => {
    const base = { at: Date.UTC(2026, 2, 2, 23, 59, 59, 999), node: 'MFA.CY' as NodeName, user: SAMPLE_READ.user, device: SAMPLE_READ.device };
    const expected = (kind: string) => `{"t":"2026-03-02T23:59:59Z","kind":"${kind}","user":"u-0042","device":"d-0042-1","ip":"2001:db8::7"}`;
    assert.equal(toTraceLine({ ...base, kind: 'login' }, { ip: '2001:db8::7', canary: true }), expected('login'));
    assert.equal(toTraceLine({ ...base, kind: 'search' }, { ip: '2001:db8::7' }), expected('search'));
    assert.equal(toTraceLine({ ...base, kind: 'device.enrolled', recordHash: new Uint8Array(32) }, { ip: '2001:db8::7' }), expected('device_enrolled'));
    assert.deepEqual(TraceKinds, { 'cable.read': 'read', 'draft.read': 'read', login: 'login', search: 'search', 'device.enrolled': 'device_enrolled' });
  });

  it('maps a draft read to a read line, without the tags, age and canary flag a draft does not show', () => {
    const { at, node, user, device } = SAMPLE_READ;
    const draftRead: LogEntry = { kind: 'draft.read', at, node, user, device, cable: 'MFA.CY.AMERICAS/2026/000007' as CableId, office: 'MFA.CY.AMERICAS' as OfficeCode, level: 'RESTRICTED' };
    assert.equal(
      toTraceLine(draftRead, { ip: '10.20.1.7', canary: true }),
      '{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-0042","device":"d-0042-1","ip":"10.20.1.7","cable":"MFA.CY.AMERICAS/2026/000007","office":"MFA.CY.AMERICAS","level":"RESTRICTED"}',
    );
  });

  it('gives no line for the other kinds, and one parseable line for the five', () => {
    fc.assert(
      fc.property(anyEntry, (e: LogEntry) => {
        const line = toTraceLine(e);
        if (!(e.kind in TraceKinds)) return assert.equal(line, undefined);
        assert.ok(line !== undefined && !line.includes('\n'));
        const parsed = JSON.parse(line) as Record<string, unknown>;
        assert.equal(parsed.kind, TraceKinds[e.kind as keyof typeof TraceKinds]);
        assert.equal(parsed.t, new Date(Math.floor(e.at / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
        assert.match(String(parsed.t), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(ENTRY_ARBITRARIES['cable.read'], (e) => assert.ok(toTraceLine(e)?.startsWith('{"t":'))), { numRuns: 20 });
  });

  it('refuses an ip that is not a network address (the line is for other tools to parse)', () => {
    assert.throws(() => toTraceLine(SAMPLE_READ, { ip: '10.20.1.7","user":"u-0001' }), RangeError);
    assert.equal(toTraceLine({ kind: 'clearance.changed', at: 0, node: 'MFA.CY' as NodeName, user: 'u1' as UserId, by: 'u2' as UserId, before: 'LIMITED', after: 'SECRET' }), undefined);
  });
});
