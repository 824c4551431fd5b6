// The trace parser takes exactly issue 7's lines and refuses anything else, naming the line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceLine } from '../../src/detect/trace.ts';
import { DetectError } from '../../src/errors.ts';

const EXAMPLE =
  '{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-0042","device":"d-0042-1","ip":"10.20.1.7","cable":"EEAS.DEL.WASHINGTON/2026/000123","office":"MFA.CY.AMERICAS","level":"LIMITED","tags":["PREL","US"],"age_days":3,"canary":false}';

function refuses(line: string, why: RegExp, lineNo = 7): void {
  assert.throws(
    () => parseTraceLine(line, lineNo),
    (e: unknown) => e instanceof DetectError && e.code === 'detect.bad_trace' && e.message.startsWith(`trace line ${lineNo}: `) && why.test(e.message),
  );
}

describe('parseTraceLine', () => {
  it("parses issue 7's example into a typed event", () => {
    assert.deepEqual(parseTraceLine(EXAMPLE, 1), {
      at: Date.UTC(2026, 2, 2, 9, 14, 7),
      kind: 'read',
      user: 'u-0042',
      device: 'd-0042-1',
      ip: '10.20.1.7',
      cable: 'EEAS.DEL.WASHINGTON/2026/000123',
      office: 'MFA.CY.AMERICAS',
      level: 'LIMITED',
      tags: ['PREL', 'US'],
      ageDays: 3,
      canary: false,
    });
  });

  it('takes other kinds without the fields they do not have', () => {
    assert.deepEqual(parseTraceLine('{"t":"2026-03-02T09:14:07Z","kind":"login","user":"u-1"}', 1), { at: Date.UTC(2026, 2, 2, 9, 14, 7), kind: 'login', user: 'u-1' });
    assert.equal(parseTraceLine('{"t":"2026-03-02T09:14:07Z","kind":"device_enrolled","user":"u-1","device":"d-1-2"}', 1).device, 'd-1-2');
    assert.equal(parseTraceLine('{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-1","cable":"X/1","office":"O"}', 1).tags, undefined);
  });

  it('refuses malformed lines with the line number and the reason', () => {
    refuses('not json', /not JSON/);
    refuses('[1]', /not a JSON object/);
    refuses(EXAMPLE.replace('"kind":"read"', '"kind":"download"'), /"kind"/);
    refuses(EXAMPLE.replace('2026-03-02T09:14:07Z', '2026-03-02 09:14:07'), /"t"/);
    refuses(EXAMPLE.replace('2026-03-02T09:14:07Z', '2026-02-31T09:14:07Z'), /"t"/);
    refuses(EXAMPLE.replace('"level":"LIMITED"', '"level":"TOPSECRET"'), /"level"/);
    refuses(EXAMPLE.replace('["PREL","US"]', '"PREL"'), /"tags"/);
    refuses(EXAMPLE.replace('["PREL","US"]', '["PREL",3]'), /"tags"/);
    refuses(EXAMPLE.replace('"age_days":3', '"age_days":-1'), /"age_days"/);
    refuses(EXAMPLE.replace('"canary":false', '"canary":"no"'), /"canary"/);
    refuses(EXAMPLE.replace('"user":"u-0042"', '"user":""'), /"user"/);
    refuses(EXAMPLE.replace('"user":"u-0042",', ''), /"user" is missing/);
    refuses(EXAMPLE.replace('"office":"MFA.CY.AMERICAS",', ''), /"office" is missing/);
    refuses(EXAMPLE.replace('"ip"', '"ipaddr"'), /unknown field "ipaddr"/);
    refuses(`{"t":"2026-03-02T09:14:07Z","kind":"login","user":"${'u'.repeat(5000)}"}`, /longer than/);
  });
});
