// Date-time groups: one ISO spelling per instant, real calendar dates only, and the ACP-127 telegram style both ways.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '../../src/errors.ts';
import { dtgFromDate, dtgToDate, formatDtg, parseAcpDtg, parseDtg, renderAcpDtg } from '../../src/cable/dtg.ts';
import { arbDtg } from './arbitraries.ts';

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ValidationError && e.issues.length === 1 && e.issues[0]!.code === code);
}

describe('parseDtg / formatDtg', () => {
  it('parse a DTG into its parts and back', () => {
    const parts = parseDtg('2026-11-26T14:30:05Z');
    assert.deepEqual(parts, { year: 2026, month: 11, day: 26, hour: 14, minute: 30, second: 5 });
    assert.equal(formatDtg(parts), '2026-11-26T14:30:05Z');
  });

  it('accept the edges of the calendar', () => {
    for (const ok of [
      '2024-02-29T00:00:00Z',
      '2000-02-29T12:00:00Z',
      '2026-12-31T23:59:59Z',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-04-30T00:00:00Z',
    ]) {
      assert.equal(formatDtg(parseDtg(ok)), ok);
    }
  });

  it('refuse dates and times that do not exist with cable.dtg.range', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T23:60:00Z',
      '2026-12-31T23:59:60Z',
      '0000-01-01T00:00:00Z',
    ]) {
      throwsCode(() => parseDtg(bad), 'cable.dtg.range');
    }
  });

  it('refuse other spellings with cable.dtg.format', () => {
    for (const bad of [
      '2026-11-26T14:30Z',
      '2026-11-26t14:30:00z',
      '2026-11-26T14:30:00',
      '2026-11-26T14:30:00.000Z',
      '2026-11-26T14:30:00+00:00',
      '20261126T143000Z',
      '26-11-26T14:30:00Z',
      '+02026-11-26T14:30:00Z',
      ' 2026-11-26T14:30:00Z',
      '2026-11-26T14:30:00Z\n',
      '２０２６-11-26T14:30:00Z',
      '',
    ]) {
      throwsCode(() => parseDtg(bad), 'cable.dtg.format');
    }
    throwsCode(() => parseDtg(20261126), 'cable.field.type');
  });

  it('formatDtg refuses parts that are not an instant', () => {
    throwsCode(() => formatDtg({ year: 2026, month: 2, day: 29, hour: 0, minute: 0, second: 0 }), 'cable.dtg.range');
    throwsCode(() => formatDtg({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0.5 }), 'cable.dtg.range');
  });
});

describe('Date conversion', () => {
  it('drops milliseconds and keeps early years', () => {
    assert.equal(dtgFromDate(new Date(Date.UTC(2026, 10, 26, 14, 30, 0, 999))), '2026-11-26T14:30:00Z');
    assert.equal(dtgToDate('2026-11-26T14:30:00Z').getTime(), Date.UTC(2026, 10, 26, 14, 30, 0));
    assert.equal(dtgFromDate(dtgToDate('0026-03-01T00:00:00Z')), '0026-03-01T00:00:00Z');
    assert.throws(() => dtgFromDate(new Date(Number.NaN)), RangeError);
    throwsCode(() => dtgFromDate(new Date(Date.UTC(10000, 0, 1))), 'cable.dtg.range');
  });

  it('round-trips every DTG through a Date', () => {
    fc.assert(fc.property(arbDtg, (dtg) => dtgFromDate(dtgToDate(dtg)) === dtg));
  });
});

describe('ACP-127 style', () => {
  it('renders day, time, Z, month and two-digit year', () => {
    assert.equal(renderAcpDtg('2026-11-26T14:30:00Z'), '261430Z NOV 26');
    assert.equal(renderAcpDtg('2001-01-02T03:04:59Z'), '020304Z JAN 01');
    assert.equal(renderAcpDtg('1930-03-03T12:00:00Z'), '031200Z MAR 30');
  });

  it('parses back with the caller naming the year to be near', () => {
    assert.equal(parseAcpDtg('261430Z NOV 26', 2026), '2026-11-26T14:30:00Z');
    assert.equal(parseAcpDtg('261430Z nov 26', 2026), '2026-11-26T14:30:00Z');
    assert.equal(parseAcpDtg('031200Z MAR 30', 1931), '1930-03-03T12:00:00Z');
    assert.equal(parseAcpDtg('010000Z JAN 75', 2026), '2075-01-01T00:00:00Z');
    assert.equal(parseAcpDtg('010000Z JAN 76', 2026), '1976-01-01T00:00:00Z');
  });

  it('refuses bad legacy DTGs', () => {
    for (const bad of ['261430 NOV 26', '261430Z NOVEMBER 26', '261430Z NOV 2026', '261430R NOV 26', '261430Z XXX 26', '']) {
      throwsCode(() => parseAcpDtg(bad, 2026), 'cable.dtg.format');
    }
    throwsCode(() => parseAcpDtg('301200Z FEB 26', 2026), 'cable.dtg.range');
    throwsCode(() => parseAcpDtg('262400Z NOV 26', 2026), 'cable.dtg.range');
    assert.throws(() => parseAcpDtg('261430Z NOV 26', 0), RangeError);
    assert.throws(() => parseAcpDtg('261430Z NOV 26', 2026.5), RangeError);
  });

  it('round-trips any DTG with zero seconds, given its year', () => {
    fc.assert(
      fc.property(arbDtg, (dtg) => {
        const minute = dtg.slice(0, 17) + '00Z';
        return parseAcpDtg(renderAcpDtg(minute), parseDtg(minute).year) === minute;
      }),
    );
  });
});
