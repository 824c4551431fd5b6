// Loads Project Wycheproof vector files (C2SP/wycheproof testvectors_v1, copied into ../shared/vectors/wycheproof)
// into typed groups and cases, parsing the JSON defensively, and tallies each provider's outcomes so every vector
// test can print its counts and assert them: a loader bug that runs no vectors fails instead of passing quietly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../src/bytes.ts';
import { ChanceryError, type ErrorCode } from '../../src/errors.ts';

/** shared/ sits beside the repository, here and in CI's fresh clone (vectors/README.md). */
export const VECTORS_DIR = new URL('../../../shared/vectors/', import.meta.url);

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Typed, checked access to the fields of one JSON object; every getter throws (naming where) on a wrong type. */
export class Fields {
  readonly #record: Readonly<Record<string, unknown>>;
  readonly #where: string;

  constructor(value: unknown, where: string) {
    if (!isRecord(value)) throw new TypeError(`${where}: not an object`);
    this.#record = value;
    this.#where = where;
  }

  has(name: string): boolean {
    return this.#record[name] !== undefined && this.#record[name] !== null;
  }

  str(name: string): string {
    const v = this.#record[name];
    if (typeof v !== 'string') throw new TypeError(`${this.#where}: ${name} is not a string`);
    return v;
  }

  int(name: string): number {
    const v = this.#record[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`${this.#where}: ${name} is not an integer`);
    return v;
  }

  hex(name: string): Uint8Array {
    return fromHex(this.str(name));
  }

  /** Hex field that may be absent (e.g. an ML-DSA `ctx`); absent is not the same as empty. */
  optHex(name: string): Uint8Array | undefined {
    return this.has(name) ? this.hex(name) : undefined;
  }

  obj(name: string): Fields {
    return new Fields(this.#record[name], `${this.#where}.${name}`);
  }

  strings(name: string): readonly string[] {
    const v = this.#record[name];
    if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) {
      throw new TypeError(`${this.#where}: ${name} is not an array of strings`);
    }
    return v;
  }

  /** The names of this object's fields. */
  keys(): readonly string[] {
    return Object.keys(this.#record);
  }

  array(name: string): readonly unknown[] {
    const v = this.#record[name];
    if (!Array.isArray(v)) throw new TypeError(`${this.#where}: ${name} is not an array`);
    return v;
  }
}

export interface WycheproofCase {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: WycheproofResult;
  readonly fields: Fields;
}

export interface WycheproofGroup {
  readonly fields: Fields;
  readonly tests: readonly WycheproofCase[];
}

export interface WycheproofFile {
  readonly name: string;
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly groups: readonly WycheproofGroup[];
  /** Flags used by cases but not explained in the file's `notes` (upstream data quirks, shown in test output). */
  readonly undocumentedFlags: readonly string[];
}

function parseResult(value: string, where: string): WycheproofResult {
  if (value === 'valid' || value === 'invalid' || value === 'acceptable') return value;
  throw new TypeError(`${where}: unknown result ${JSON.stringify(value)}`);
}

function parseCase(value: unknown, where: string): WycheproofCase {
  const fields = new Fields(value, where);
  const tcId = fields.int('tcId');
  const flags = fields.has('flags') ? fields.strings('flags') : [];
  return {
    tcId,
    comment: fields.has('comment') ? fields.str('comment') : '',
    flags,
    result: parseResult(fields.str('result'), where),
    fields,
  };
}

/**
 * Reads `wycheproof/<name>`, checks it declares `schema`, and parses every group and case.
 * Throws unless the cases counted equal the file's own `numberOfTests` and every tcId is unique.
 */
export function loadWycheproof(name: string, schema: string): WycheproofFile {
  const path = fileURLToPath(new URL(`wycheproof/${name}`, VECTORS_DIR));
  const top = new Fields(JSON.parse(readFileSync(path, 'utf8')) as unknown, name);
  if (top.str('schema') !== schema) throw new TypeError(`${name}: schema ${top.str('schema')}, expected ${schema}`);
  const notes = top.has('notes') ? new Set(top.obj('notes').keys()) : undefined;
  const groups: WycheproofGroup[] = top.array('testGroups').map((g, gi) => {
    const group = new Fields(g, `${name} group ${gi}`);
    return { fields: group, tests: group.array('tests').map((t, ti) => parseCase(t, `${name} group ${gi} test ${ti}`)) };
  });
  const ids = new Set<number>();
  const undocumented = new Set<string>();
  let total = 0;
  for (const g of groups) {
    for (const t of g.tests) {
      if (ids.has(t.tcId)) throw new TypeError(`${name}: duplicate tcId ${t.tcId}`);
      ids.add(t.tcId);
      total++;
      for (const flag of t.flags) if (notes !== undefined && !notes.has(flag)) undocumented.add(flag);
    }
  }
  const numberOfTests = top.int('numberOfTests');
  if (total !== numberOfTests) throw new TypeError(`${name}: ${total} cases, header says ${numberOfTests}`);
  return { name, algorithm: top.str('algorithm'), numberOfTests, groups, undocumentedFlags: [...undocumented] };
}

/** What a provider did with one input: returned a value, or threw / rejected. */
export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Runs `f`, turning a synchronous throw and a rejection alike into `{ ok: false }`. */
export async function attempt<T>(f: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A short name for an error in test output: `CryptoError(crypto.invalid_key)`, `RangeError`, … */
export function errorKind(error: unknown): string {
  if (error instanceof ChanceryError) return `${error.name}(${error.code})`;
  if (error instanceof Error) return error.name;
  return typeof error;
}

export function hasCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof ChanceryError && error.code === code;
}

/** The counts a vector file must produce; `acceptable` counts both ways an acceptable case may go. */
export interface ExpectedCounts {
  readonly valid: number;
  readonly invalid: number;
  readonly acceptable: number;
  readonly notApplicable: number;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function describeMap(map: ReadonlyMap<string, number>): string {
  return [...map].map(([k, n]) => `${n} ${k}`).join(', ');
}

/**
 * One provider's outcomes on one vector file. Wycheproof's rule: a valid case must be accepted (with the expected
 * output), an invalid one refused, an acceptable one may go either way. Cases our API cannot express are skipped
 * with a reason and counted.
 */
export class Tally {
  readonly #label: string;
  readonly #provider: string;
  valid = 0;
  invalid = 0;
  acceptableAccepted = 0;
  acceptableRefused = 0;
  readonly notApplicable = new Map<string, number>();
  /** How invalid and acceptable cases were refused, by error kind. */
  readonly refusals = new Map<string, number>();
  readonly failures: string[] = [];

  constructor(label: string, provider: string) {
    this.#label = label;
    this.#provider = provider;
  }

  #fail(tc: WycheproofCase, detail: string): void {
    const flags = tc.flags.length > 0 ? `; ${tc.flags.join(',')}` : '';
    const comment = tc.comment === '' ? '' : `; ${tc.comment}`;
    this.failures.push(`tcId ${tc.tcId} (${tc.result}${flags}${comment}): ${detail}`);
  }

  /** The provider accepted the case and produced exactly the expected output. */
  accepted(tc: WycheproofCase): void {
    if (tc.result === 'valid') this.valid++;
    else if (tc.result === 'acceptable') this.acceptableAccepted++;
    else this.#fail(tc, 'accepted an invalid case');
  }

  /** The provider refused the case (threw, rejected, or a verifier returned false). */
  refused(tc: WycheproofCase, how: string): void {
    if (tc.result === 'valid') {
      this.#fail(tc, `refused a valid case: ${how}`);
      return;
    }
    if (tc.result === 'invalid') this.invalid++;
    else this.acceptableRefused++;
    bump(this.refusals, how);
  }

  /** The provider produced an output, but not the expected one: a failure whatever the case's result. */
  wrong(tc: WycheproofCase, detail: string): void {
    this.#fail(tc, detail);
  }

  markNotApplicable(reason: string): void {
    bump(this.notApplicable, reason);
  }

  get run(): number {
    return this.valid + this.invalid + this.acceptableAccepted + this.acceptableRefused + this.failures.length;
  }

  get skipped(): number {
    let n = 0;
    for (const v of this.notApplicable.values()) n += v;
    return n;
  }

  summary(file: WycheproofFile): string {
    const parts = [`${this.valid} valid ok`, `${this.invalid} invalid refused`];
    const acceptable = this.acceptableAccepted + this.acceptableRefused;
    if (acceptable > 0) parts.push(`${acceptable} acceptable (${this.acceptableAccepted} accepted, ${this.acceptableRefused} refused)`);
    parts.push(`${this.skipped} not applicable${this.skipped > 0 ? ` (${describeMap(this.notApplicable)})` : ''}`);
    if (this.failures.length > 0) parts.push(`${this.failures.length} FAILED`);
    const refusals = this.refusals.size > 0 ? `; refusals: ${describeMap(this.refusals)}` : '';
    const quirks = file.undocumentedFlags.length > 0 ? `; flags not in the file's notes: ${file.undocumentedFlags.join(', ')}` : '';
    return `${this.#label} [${this.#provider}]: ${file.numberOfTests} in ${file.name}, ${this.run} run: ${parts.join(', ')}${refusals}${quirks}`;
  }

  /** No failures, the expected counts, and every case of the file either run or skipped with a reason. */
  assertCounts(file: WycheproofFile, expected: ExpectedCounts): void {
    assert.deepEqual(this.failures, [], `${this.#label} [${this.#provider}] failures`);
    assert.deepEqual(
      {
        valid: this.valid,
        invalid: this.invalid,
        acceptable: this.acceptableAccepted + this.acceptableRefused,
        notApplicable: this.skipped,
      },
      expected,
      `${this.#label} [${this.#provider}] counts`,
    );
    assert.equal(this.run + this.skipped, file.numberOfTests, `${this.#label} [${this.#provider}] cases accounted for`);
    assert.ok(this.run > 0, `${this.#label} [${this.#provider}] ran no vectors`);
  }
}
