// `chancery audit verify | checkpoint | proof | tail | reads`: a security officer's device auditing its node's log
// (issue 4 "CLI"). Each command maps its flags to one call of src/client/audit*.ts and prints the result; the
// auditor's last checkpoint is kept in `<key>.json` (`auditCheckpoint`).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { parseCableId, parseNodeName } from '../cable/ids.ts';
import { toBase64, utf8 } from '../bytes.ts';
import { FileError } from '../errors.ts';
import { parseCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { parseNote } from '../log/note.ts';
import { verifyLog, type AuditProgress, type LogAudit } from '../client/audit.ts';
import { auditMemory } from '../client/audit-memory-file.ts';
import { verifyPeerLog, type PeerLogAudit } from '../client/audit-peer.ts';
import type { SignedCheckpoint } from '../client/audit-wire.ts';
import { cableReads, followLog, proveEntry, tailLog, type AuditedEntry, type CableReads, type ProvenEntry } from '../client/audit-queries.ts';
import { readClientConfig } from '../client/config.ts';
import { deviceCommand, examples, parsePositive, print, table, UsageError, withSession, type DeviceOptions } from './io.ts';

/** A checkpoint file holds one signed note; an ML-DSA-65 note is about 4.6 kB. */
const MAX_CHECKPOINT_FILE = 256 * 1024;

function keyFileOf(f: DeviceOptions): string {
  if (!f.key) throw new UsageError('--key FILE (or CHANCERY_KEY) is required');
  return f.key;
}

function parseIndex(value: string): number {
  const n = Number(value);
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an entry index (0, 1, 2…)');
  return n;
}

function readCheckpointFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new FileError('file.missing', `cannot read the checkpoint file ${file}`, { cause });
  }
  if (bytes.length > MAX_CHECKPOINT_FILE) throw new FileError('file.malformed', `${file} is too large for a checkpoint`);
  return bytes.toString('utf8');
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, otherwise (a log file, a CI job) a plain line at most
 * once a second and at the end, so the output stays readable.
 */
function progressReporter(what: string): (p: AuditProgress) => void {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  return ({ done, total }) => {
    const share = total === 0 ? 1 : done / total;
    if (tty) {
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(`\r${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${done}/${total} entries`);
      if (done === total) process.stderr.write('\n');
      return;
    }
    const now = Date.now();
    if (done !== total && now - lastLine < 1000) return;
    lastLine = now;
    process.stderr.write(`${what}: ${done}/${total} entries (${Math.floor(share * 100)}%)\n`);
  };
}

const head = (c: Checkpoint) => `${c.origin} ${c.size} ${toBase64(c.root)}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** JSON of an entry: byte strings (hashes, commitments) as base64. */
function jsonOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? toBase64(v) : v))) as unknown;
}

const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** An entry's own fields on one line (`user=… cable=…`): ids and levels, not the hashes. */
function fieldsLine(e: AuditedEntry): string {
  if (!e.entry) return `(an entry this client cannot read, ${e.leaf.length} bytes)`;
  const skip = new Set(['v', 'kind', 'at', 'node', 'details']);
  const parts = Object.entries(e.entry).flatMap(([key, value]: [string, unknown]) => {
    if (skip.has(key) || value instanceof Uint8Array) return [];
    return [`${key}=${Array.isArray(value) ? value.map(scalar).join(',') : scalar(value)}`];
  });
  const from = e.details?.ip ? ` from=${e.details.ip}` : '';
  return parts.join(' ') + from;
}

function entryLine(e: AuditedEntry): string {
  return `${String(e.index).padStart(6)}  ${e.entry ? iso(e.entry.at) : '?'.padEnd(24)}  ${(e.entry?.kind ?? '?').padEnd(18)}  ${fieldsLine(e)}`;
}

const entryJson = (e: AuditedEntry) => ({ index: e.index, kind: e.entry?.kind ?? null, entry: jsonOf(e.entry), leaf: toBase64(e.leaf), appendedAt: e.appendedAt, details: e.details });

function renderAudit(a: LogAudit): string {
  const kinds = Object.entries(a.kinds).sort(([x], [y]) => x.localeCompare(y)).map(([k, n]) => `${k} ${n}`).join(', ');
  const compared = a.comparedWith.map((c) => `${c.what} (${c.size} entries)`).join('; ');
  return [
    `Log verified: ${a.checkpoint.size} entries recomputed to the root of the signed checkpoint ${head(a.checkpoint)}.`,
    `  consistent with: ${compared || 'no earlier checkpoint (first audit from this device)'}`,
    `  entries: ${kinds || 'none'}; personal details checked against their commitment: ${a.detailsOpened}`,
  ].join('\n');
}

function renderProof(e: ProvenEntry): string {
  return [
    entryLine(e),
    `Included in the checkpoint of ${e.size} entries — inclusion proof verified (${e.proof.length} hashes, leaf first):`,
    ...e.proof.map((h) => `  ${toBase64(h)}`),
  ].join('\n');
}

function renderReads(r: CableReads): string {
  if (r.reads.length === 0) return `No reads of ${r.cable} in the log of ${r.head.checkpoint.size} entries (the whole log was hashed to its signed root).`;
  const rows = r.reads.map((x) => [String(x.index), iso(x.entry.at), x.entry.kind, x.entry.user, x.entry.device, x.entry.office, x.details?.ip ?? '']);
  return [
    table(['INDEX', 'TIME', 'KIND', 'USER', 'DEVICE', 'OFFICE', 'FROM'], rows),
    `${r.reads.length} read(s) of ${r.cable} in the log of ${r.head.checkpoint.size} entries; each entry's inclusion proof verified, and the whole log hashed to its signed root.`,
  ].join('\n');
}

function peerAuditJson(a: PeerLogAudit) {
  const side = (c: SignedCheckpoint) => ({ size: c.checkpoint.size, root: toBase64(c.checkpoint.root), checkpoint: c.note });
  return { peer: a.peer, origin: a.head.checkpoint.origin, head: side(a.head), stored: a.stored ? side(a.stored) : null };
}

function renderPeerAudit(a: PeerLogAudit): string {
  const head = `${a.peer}'s log (${a.head.checkpoint.origin}): head of ${a.head.checkpoint.size} entries, root ${toBase64(a.head.checkpoint.root)}, signed by the log key its root certified.`;
  if (!a.stored) return `${head}\nOur node has stored no checkpoint of ${a.peer} yet: nothing to compare.`;
  return `${head}\nConsistent with the checkpoint of ${a.stored.checkpoint.size} entries our node's gossip stored (consistency proof from ${a.peer} verified).`;
}

function verifyCommand(audit: Command): void {
  examples(
    deviceCommand(audit, 'verify', 'fetch the whole log, recompute its tree and check the signed checkpoint and every earlier one')
      .option('--against <file>', "another client's checkpoint (from `chancery audit checkpoint`): the log must be consistent with it")
      .option('--peer <node>', "check peer NODE's log as our node sees it: its head and the checkpoint gossip stored, joined by the peer's proof")
      .action((f: DeviceOptions & { against?: string; peer?: string }) =>
        withSession(f, async (s) => {
          if (f.peer !== undefined) {
            if (f.against !== undefined) throw new UsageError('--against checks our own log; it does not go with --peer');
            const peer = await verifyPeerLog(s, parseNodeName(f.peer, '--peer'));
            print(f, peerAuditJson(peer), () => renderPeerAudit(peer));
            return;
          }
          const against = f.against === undefined ? {} : { against: readCheckpointFile(f.against) };
          const audit = await verifyLog(s, { memory: await auditMemory(keyFileOf(f)), onProgress: progressReporter('audit verify'), ...against });
          const { checkpoint: c, note, kinds, detailsOpened, comparedWith } = audit;
          print(f, { origin: c.origin, size: c.size, root: toBase64(c.root), checkpoint: note, kinds, detailsOpened, comparedWith }, () => renderAudit(audit));
        }),
      ),
    ['chancery audit verify --key ines.key', 'chancery audit verify --key ines.key --against piotr-checkpoint.txt', 'chancery audit verify --key ines.key --peer MFA.FR'],
  );
}

function checkpointCommand(audit: Command): void {
  examples(
    audit
      .command('checkpoint')
      .description('print the last checkpoint this device verified (a signed note), to compare with another client')
      .addOption(new Option('--key <file>', 'device key file').env('CHANCERY_KEY'))
      .option('--json', 'print the result as JSON')
      .action(async (f: DeviceOptions) => {
        const note = (await readClientConfig(keyFileOf(f))).auditCheckpoint;
        if (note === undefined) throw new FileError('file.missing', 'this device has verified no checkpoint yet: run chancery audit verify first');
        const c = parseCheckpoint(parseNote(utf8(note)).text);
        // The note as it is, with no newline added: the file another client passes to --against.
        if (f.json) print(f, { origin: c.origin, size: c.size, root: toBase64(c.root), note }, () => '');
        else process.stdout.write(note);
      }),
    ['chancery audit checkpoint --key ines.key > ines-checkpoint.txt'],
  );
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audit the node’s log: verify it in full, prove an entry, follow it, list who read a cable (security officers)');
  verifyCommand(audit);
  checkpointCommand(audit);
  deviceCommand(audit, 'proof', 'an entry with its inclusion proof, verified against the latest checkpoint')
    .argument('<index>', 'the entry index', parseIndex)
    .action((index: number, f: DeviceOptions) =>
      withSession(f, async (s) => {
        const proven = await proveEntry(s, index, await auditMemory(keyFileOf(f)));
        print(f, { ...entryJson(proven), size: proven.size, proof: proven.proof.map(toBase64), checkpoint: proven.note }, () => renderProof(proven));
      }),
    );
  examples(
    deviceCommand(audit, 'tail', 'the last entries, proven together against the latest checkpoint')
      .option('--count <n>', 'how many entries', parsePositive, 10)
      .option('--follow', 'keep polling the checkpoint and print new entries as they are signed')
      .option('--interval <seconds>', 'how often --follow polls', parsePositive, 2)
      .action((f: DeviceOptions & { count: number; follow?: boolean; interval: number }) =>
        withSession(f, async (s) => {
          const memory = await auditMemory(keyFileOf(f));
          const show = (entries: readonly AuditedEntry[]) => {
            for (const e of entries) process.stdout.write(f.json ? `${JSON.stringify(entryJson(e))}\n` : `${entryLine(e)}\n`);
          };
          if (!f.follow) {
            const tail = await tailLog(s, f.count, memory);
            if (f.json) print(f, { checkpoint: tail.head.note, size: tail.head.checkpoint.size, entries: tail.entries.map(entryJson) }, () => '');
            else show(tail.entries);
            return;
          }
          const stop = new AbortController();
          process.once('SIGINT', () => stop.abort());
          process.once('SIGTERM', () => stop.abort());
          await followLog(s, { count: f.count, intervalMs: f.interval * 1000, signal: stop.signal, memory, onEntries: show });
        }),
      ),
    ['chancery audit tail --key ines.key --count 20', 'chancery audit tail --key ines.key --follow   # one JSON line per entry with --json'],
  );
  examples(
    deviceCommand(audit, 'reads', 'who read a cable, and when: every read entry, each with its inclusion proof verified')
      .requiredOption('--cable <id>', 'the cable id')
      .action((f: DeviceOptions & { cable: string }) =>
        withSession(f, async (s) => {
          const reads = await cableReads(s, parseCableId(f.cable), { memory: await auditMemory(keyFileOf(f)), onProgress: progressReporter('audit reads') });
          print(f, { cable: reads.cable, size: reads.head.checkpoint.size, checkpoint: reads.head.note, reads: reads.reads.map((r) => ({ ...entryJson(r), proof: r.proof.map(toBase64) })) }, () => renderReads(reads));
        }),
      ),
    ['chancery audit reads --key ines.key --cable EEAS.DEL.WASHINGTON/2026/000001'],
  );
}
