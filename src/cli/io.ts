// What every command shares: exit codes, option parsers, passphrases (from a file or the environment, never from a
// flag value that would sit in shell history and `ps`), opening the device session, and printing text or JSON.
import { readFileSync } from 'node:fs';
import type { Command} from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { Classifications, Precedences, type Classification, type Precedence } from '../cable/types.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import { FileError } from '../errors.ts';
import { openSessionFromKeyFile } from '../client/key-file-session.ts';
import { type Session } from '../client/session.ts';

export const ExitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** A command line that parsed but does not make sense (a missing --key): exit code 2, like a parse error. */
export class UsageError extends Error {}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    const upper = value.toUpperCase();
    const found = values.find((v) => v === upper);
    if (!found) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return found;
  };
}

export const parseLevel = oneOf<Classification>(Classifications);
export const parsePrecedence = oneOf<Precedence>(Precedences);

/** For repeatable options: `--to A --to B` and `--to A,B` both give [A, B]. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v.length > 0)];
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number 0–65535');
  return port;
}

/** A whole number of at least 1 (a rate, a count). */
export function parsePositive(value: string): number {
  const n = Number(value);
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/**
 * A passphrase from `file` (its first line) or the environment variable `envName`. Refuses when neither is set:
 * a passphrase is never taken from a flag's value.
 */
export function readPassphrase(file: string | undefined, envName: string, what = 'the device key'): string {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new FileError('file.missing', `cannot read passphrase file ${file}`, { cause });
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  const value = process.env[envName];
  if (value === undefined || value === '') throw new FileError('file.bad_passphrase', `no passphrase for ${what}: use --passphrase-file FILE or set ${envName}`);
  return value;
}

/** Options of every command that acts as a device. */
export interface DeviceOptions {
  readonly key?: string;
  readonly node?: string;
  readonly passphraseFile?: string;
  readonly json?: boolean;
}

/** Adds --key, --node, --passphrase-file and --json to a command that acts as a device. */
export function deviceCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(new Option('--key <file>', 'device key file').env('CHANCERY_KEY'))
    .option('--node <url>', "node URL (default: the one in the key file's <key>.json)")
    .option('--passphrase-file <file>', 'file holding the key passphrase (or set CHANCERY_PASSPHRASE)')
    .option('--json', 'print the result as JSON');
}

/** Opens the session of the device named by --key. */
export async function session(options: DeviceOptions): Promise<Session> {
  if (!options.key) throw new UsageError('--key FILE (or CHANCERY_KEY) is required');
  const passphrase = readPassphrase(options.passphraseFile, 'CHANCERY_PASSPHRASE');
  return openSessionFromKeyFile(nodeProvider, { keyFile: options.key, passphrase, ...(options.node ? { url: options.node } : {}) });
}

/** Runs `fn` with the device's session and closes it (wiping its keys) whatever happens. */
export async function withSession<T>(options: DeviceOptions, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = await session(options);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

/** Prints `value` as JSON with --json, else the text `render` makes of it. */
export function print<T>(options: { readonly json?: boolean }, value: T, render: (v: T) => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${render(value)}\n`);
}

/** A plain text table: columns padded to their widest cell. */
export function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headings), ...rows.map(line)].join('\n');
}

/** Help text listing examples, added after a command's own help. */
export function examples(command: Command, lines: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
