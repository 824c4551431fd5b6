// Identifier parsers: each accepts its grammar up to its length limit and throws ValidationError with a stable code
// otherwise; formatCableId pads and range-checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.ts';
import {
  formatCableId,
  isCableId,
  isDeviceId,
  isNodeName,
  isOfficeCode,
  isUserId,
  parseCableId,
  parseDeviceId,
  parseNodeName,
  parseOfficeCode,
  parseUserId,
  splitCableId,
} from '../../src/cable/ids.ts';

/** Asserts that `fn` throws a ValidationError with exactly one issue of `code` at `path`. */
function throwsIssue(fn: () => unknown, code: string, path: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(
      e.issues.map((i) => [i.code, i.path]),
      [[code, path]],
    );
    return true;
  });
}

describe('parseOfficeCode', () => {
  it('accepts dotted upper-case codes up to 64 chars', () => {
    for (const ok of ['EEAS', 'EEAS.DEL.WASHINGTON', 'MFA.CY.NEW-YORK', 'A1.B2-', 'A'.repeat(64)]) assert.equal(parseOfficeCode(ok), ok);
  });
  it('refuses everything else with cable.office.format', () => {
    for (const bad of ['', 'eeas', '1EEAS', 'EEAS.', '.EEAS', 'EEAS..DEL', 'EEAS-DEL', 'EEAS.1DEL', 'EEAS DEL', 'A'.repeat(65), 'EEAS\n']) {
      throwsIssue(() => parseOfficeCode(bad), 'cable.office.format', 'office');
    }
  });
  it('refuses a non-string with cable.field.type, at the given path', () => {
    throwsIssue(() => parseOfficeCode(7, 'header.from'), 'cable.field.type', 'header.from');
  });
});

describe('parseNodeName', () => {
  it('uses the office grammar with a 32-char limit', () => {
    assert.equal(parseNodeName('MFA.CY'), 'MFA.CY');
    assert.equal(parseNodeName('N'.repeat(32)), 'N'.repeat(32));
    throwsIssue(() => parseNodeName('N'.repeat(33)), 'cable.node.format', 'node');
    throwsIssue(() => parseNodeName('mfa'), 'cable.node.format', 'node');
  });
});

describe('parseUserId and parseDeviceId', () => {
  it('accept lower-case ids up to 64 chars', () => {
    for (const ok of ['anna.schmidt', 'u-0042', '0', 'a_b', 'a'.repeat(64)]) {
      assert.equal(parseUserId(ok), ok);
      assert.equal(parseDeviceId(ok), ok);
    }
  });
  it('refuse the rest', () => {
    for (const bad of ['', 'Anna', '.anna', '-a', '_a', 'a b', 'a@b', 'a'.repeat(65), 'é']) {
      throwsIssue(() => parseUserId(bad), 'cable.user.format', 'user');
      throwsIssue(() => parseDeviceId(bad), 'cable.device.format', 'device');
    }
  });
});

describe('cable ids', () => {
  it('parse and split', () => {
    const id = parseCableId('EEAS.DEL.WASHINGTON/2026/000123');
    assert.deepEqual(splitCableId(id), { office: 'EEAS.DEL.WASHINGTON', year: 2026, serial: 123 });
    assert.deepEqual(splitCableId(parseCableId('A/0001/999999')), { office: 'A', year: 1, serial: 999999 });
  });
  it('refuse malformed ids with cable.id.format', () => {
    for (const bad of [
      '',
      'EEAS.DEL.WASHINGTON/2026/123',
      'EEAS.DEL.WASHINGTON/2026/0001234',
      'EEAS.DEL.WASHINGTON/26/000123',
      'EEAS.DEL.WASHINGTON/2026/000000',
      'EEAS.DEL.WASHINGTON/0000/000001',
      'eeas/2026/000001',
      '/2026/000001',
      'A/B/2026/000001',
      'EEAS/2026/00012a',
      'EEAS/２０２６/000001',
      'EEAS/2026/000001\n',
      `${'A'.repeat(65)}/2026/000001`,
    ]) {
      throwsIssue(() => parseCableId(bad), 'cable.id.format', 'id');
    }
    throwsIssue(() => parseCableId(null), 'cable.field.type', 'id');
  });
  it('format with padding and range checks', () => {
    assert.equal(formatCableId('EEAS.DEL.WASHINGTON', 2026, 123), 'EEAS.DEL.WASHINGTON/2026/000123');
    assert.equal(formatCableId('A', 7, 999_999), 'A/0007/999999');
    for (const [year, serial] of [
      [2026, 0],
      [2026, 1_000_000],
      [2026, 1.5],
      [0, 1],
      [10_000, 1],
      [Number.NaN, 1],
    ] as const) {
      throwsIssue(() => formatCableId('A', year, serial), 'cable.id.format', 'id');
    }
    throwsIssue(() => formatCableId('a', 2026, 1), 'cable.id.format', 'id');
  });
});

describe('guards', () => {
  it('answer without throwing', () => {
    assert.equal(isOfficeCode('MFA.CY'), true);
    assert.equal(isOfficeCode('mfa'), false);
    assert.equal(isOfficeCode(undefined), false);
    assert.equal(isNodeName('EEAS'), true);
    assert.equal(isUserId('u-1'), true);
    assert.equal(isDeviceId('D-1'), false);
    assert.equal(isCableId('A/2026/000001'), true);
    assert.equal(isCableId({}), false);
  });
});
