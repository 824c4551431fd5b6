// Auditing a node's log from a security officer's device (issue 4 "CLI"; src/client/audit*.ts), against a real node
// over HTTP: a clean log verifies in full; entries served rewritten, missing, reordered or with someone else's
// personal details are caught at the index where they part from the signed checkpoint; a checkpoint of another
// history signed by the node's own log key (a fork) is caught when compared; proofs, tails, following the log and
// the reads of a cable are each proven under a signed checkpoint. Rewriting the database itself is in
// test/cli/audit.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { createUser } from '../../src/client/admin.ts';
import { verifyLog, type AuditProgress } from '../../src/client/audit.ts';
import { auditMemory } from '../../src/client/audit-memory-file.ts';
import { cableReads, followLog, proveEntry, tailLog, type AuditedEntry } from '../../src/client/audit-queries.ts';
import { readClientConfig } from '../../src/client/config.ts';
import type { Fetch } from '../../src/client/http.ts';
import type { Session } from '../../src/client/session.ts';
import type { CableId, UserId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { parseCheckpoint } from '../../src/log/checkpoint.ts';
import { decodeLogEntry, encodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { parseNote } from '../../src/log/note.ts';
import { verifyInclusion } from '../../src/log/proofs.ts';
import type { RunningNode } from '../../src/node/serve.ts';
import { buildAuditNetwork, forkedCheckpoint, initSendNetwork, p, People, serveNode, storedLeaves, type AuditNetwork } from '../support/audit-network.ts';

interface WireEntry {
  index: number;
  leaf: string;
  details?: { ip?: string; salt: string } | null;
}

const sizeOf = (note: string) => parseCheckpoint(parseNote(utf8(note)).text).size;

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error;
}

describe('auditing the log against a real node', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-audit-'));
  let node: RunningNode;
  let net: AuditNetwork;
  let officer: Session;
  const sessions: Session[] = [];
  const keyFile = () => net.network.keyFile(People.officer);
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());

  /** The officer's device through a fetch that rewrites the pages of entries with `change`. */
  const officerSeeing = async (change: (entries: WireEntry[]) => WireEntry[], withoutProofs = false) => {
    const rewriting: Fetch = async (input, init) => {
      if (withoutProofs && new URL(input).pathname.endsWith('/api/v1/log/consistency')) return new Response(JSON.stringify({ code: 'internal', message: 'no' }), { status: 500 });
      const res = await fetch(input, init);
      if (!new URL(input).pathname.endsWith('/api/v1/log/entries') || !res.ok) return res;
      const body = (await res.json()) as { size: number; entries: WireEntry[] };
      return new Response(JSON.stringify({ ...body, entries: change(body.entries) }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const s = await net.network.session(People.officer, node.url, { fetch: rewriting });
    sessions.push(s);
    return s;
  };

  before(async () => {
    const network = await initSendNetwork(dir);
    node = await serveNode(network.dataDir);
    net = await buildAuditNetwork(network, node);
    officer = await network.session(People.officer, node.url);
    sessions.push(officer);
  });

  after(async () => {
    for (const s of sessions) s.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a clean log in full, reports progress, and saves the checkpoint as the auditor’s', async () => {
    const progress: AuditProgress[] = [];
    const audit = await verifyLog(officer, { memory: await auditMemory(keyFile()), onProgress: (x) => progress.push(x) });
    const size = logSize();
    assert.equal(audit.checkpoint.size, size);
    assert.deepEqual([progress[0], progress.at(-1)], [{ done: 0, total: size }, { done: size, total: size }]);
    assert.equal(audit.kinds['cable.read'], 2);
    assert.equal(audit.kinds['cable.sent'], 1);
    assert.ok(audit.detailsOpened > 0, 'the personal details served were checked against their commitments');
    assert.equal(sizeOf((await readClientConfig(keyFile())).auditCheckpoint!), size);
    // The next audit holds the log against this one.
    const again = await verifyLog(officer, { memory: await auditMemory(keyFile()) });
    assert.ok(again.comparedWith.some((c) => c.what === 'the checkpoint of the last audit' && c.size === size));
  });

  it('never moves the saved audit checkpoint back', async () => {
    const memory = await auditMemory(keyFile());
    const saved = (await readClientConfig(keyFile())).auditCheckpoint!;
    await memory.save!(await forkedCheckpoint(net.network.dataDir, storedLeaves(net.dbPath).slice(0, 5)));
    assert.equal((await readClientConfig(keyFile())).auditCheckpoint, saved);
  });

  it('catches a fork: a checkpoint signed by the log key over another history is log.inconsistent, at any size', async () => {
    const leaves = storedLeaves(net.dbPath);
    const other = encodeLogEntry({ ...decodeLogEntry(leaves[3]!), at: 0 });
    const histories: [string, Uint8Array[], RegExp][] = [
      ['the same size, one entry different', leaves.map((l, i) => (i === 3 ? other : l)), /not a state of this log.*two different histories/],
      ['a shorter history', leaves.slice(0, 10).map((l, i) => (i === 3 ? other : l)), /\(10 entries, root .*not a state of this log/],
      ['a longer one', [...leaves, other, other], new RegExp(`covers ${leaves.length + 2} entries, but the node now signs a log of ${leaves.length}`)],
    ];
    for (const [what, history, message] of histories) {
      const against = await forkedCheckpoint(net.network.dataDir, history);
      const error = await refusal(verifyLog(officer, { against }));
      assert.equal(error.code, 'log.inconsistent', what);
      assert.match(error.message, message, what);
    }
    // The true history at an earlier size is no fork.
    const prefix = await forkedCheckpoint(net.network.dataDir, leaves.slice(0, 10));
    assert.ok((await verifyLog(officer, { against: prefix })).comparedWith.some((c) => c.what === 'the other checkpoint' && c.size === 10));
  });

  it('refuses a checkpoint to compare with that this log key did not sign', async () => {
    const note = await forkedCheckpoint(net.network.dataDir, storedLeaves(net.dbPath));
    const lines = note.split('\n');
    lines[2] = toBase64(new Uint8Array(32).fill(7));
    const error = await refusal(verifyLog(officer, { against: lines.join('\n') }));
    assert.equal(error.code, 'log.bad_signature');
  });

  it('catches entries served rewritten, missing, reordered or with other personal details, naming the entry', async () => {
    const leaves = storedLeaves(net.dbPath);
    const reads = leaves.flatMap((l, i) => (decodeLogEntry(l).kind === 'cable.read' ? [i] : []));
    const [read1, read2] = [reads[0]!, reads[1]!];
    const read = decodeLogEntry(leaves[read1]!);
    assert.ok(read.kind === 'cable.read');
    const rewritten = toBase64(encodeLogEntry({ ...read, user: People.reader2 }));
    const cases: [string, (e: WireEntry[]) => WireEntry[], RegExp][] = [
      ['a read rewritten as someone else’s', (e) => e.map((x) => (x.index === read1 ? { ...x, leaf: rewritten } : x)), new RegExp(`^entry ${read1} is the first that does not match the checkpoint the node signed .*entries 0–${read1 - 1} match it`)],
      ['an entry left out', (e) => e.filter((x) => x.index !== 7), /^entry 7 is missing: the node serves entry 8 right after entry 6/],
      ['two entries swapped', (e) => e.map((x) => (x.index === 5 ? { ...x, leaf: e[9]!.leaf } : x.index === 9 ? { ...x, leaf: e[5]!.leaf } : x)), /^entry 5 is the first that does not match the checkpoint/],
      ['the last entries held back', (e) => e.slice(0, -2), new RegExp(`^entries ${leaves.length - 2}–${leaves.length - 1} are missing`)],
      ['another read’s personal details', (e) => e.map((x) => (x.index === read1 ? { ...x, details: e[read2]!.details ?? null } : x)), new RegExp(`^entry ${read1}: the personal details served beside it do not open`)],
    ];
    for (const [what, change, message] of cases) {
      const error = await refusal(verifyLog(await officerSeeing(change)));
      assert.equal(error.code, 'log.bad_proof', what);
      assert.match(error.message, message, what);
    }
    // A node that proves nothing: an earlier signed checkpoint the served entries match still places the change.
    const blind = await officerSeeing((e) => e.map((x) => (x.index === read1 ? { ...x, leaf: rewritten } : x)), true);
    const against = await forkedCheckpoint(net.network.dataDir, leaves.slice(0, read1));
    const error = await refusal(verifyLog(blind, { against }));
    assert.match(error.message, new RegExp(`^entry ${read1} is the first that does not match`));
  });

  it('proves an entry by its inclusion proof; an index beyond the checkpoint is log.out_of_range', async () => {
    const proven = await proveEntry(officer, 4);
    assert.equal(proven.index, 4);
    assert.equal(proven.size, logSize());
    const head = parseCheckpoint(parseNote(utf8(proven.note)).text);
    verifyInclusion(p, { leafIndex: 4, treeSize: head.size, leafHash: leafHash(p, proven.leaf), root: head.root, proof: proven.proof });
    assert.equal((await refusal(proveEntry(officer, logSize()))).code, 'log.out_of_range');
  });

  it('tails the log from every frontier shape, proving each run of entries against the signed root', async () => {
    const leaves = storedLeaves(net.dbPath);
    // Tails starting at these sizes have frontiers of 0–4 hashes, after 0–4 trailing zero bits; then the short tails.
    const counts = [...[0, 1, 2, 3, 6, 7, 8, 11, 15, 16].map((from) => leaves.length - from), 2, 1];
    for (const count of counts) {
      const tail = await tailLog(officer, count);
      const first = Math.max(0, leaves.length - count);
      assert.deepEqual(tail.entries.map((e) => e.index), leaves.map((_, i) => i).slice(first), `count ${count}`);
      assert.deepEqual(tail.entries.map((e) => toBase64(e.leaf)), leaves.slice(first).map(toBase64));
    }
    const error = await refusal(tailLog(await officerSeeing((e) => e.map((x, i) => (i === 0 ? { ...x, leaf: e[1]!.leaf } : x))), 3));
    assert.equal(error.code, 'log.bad_proof');
  });

  it('follows the log: new entries arrive proven under each newer checkpoint', async () => {
    const stop = new AbortController();
    const seen: AuditedEntry[][] = [];
    let arrived: () => void = () => undefined;
    const more = new Promise<void>((resolve) => (arrived = resolve));
    const following = followLog(officer, {
      count: 2,
      intervalMs: 20,
      signal: stop.signal,
      onEntries: (entries) => {
        seen.push([...entries]);
        if (seen.length > 1 && entries.length > 0) arrived();
      },
    });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    const before = logSize();
    await createUser(officer, { id: 'eva.horvath' as UserId, name: 'Eva Horváth', clearance: 'RESTRICTED', nationality: 'HU', organisations: ['EU'], caveats: [], memberships: [] });
    await more;
    stop.abort();
    await following;
    assert.equal(seen[0]!.length, 2);
    const fresh = seen.slice(1).flat();
    assert.deepEqual(fresh.map((e) => e.index), Array.from({ length: logSize() - before }, (_, i) => before + i));
    assert.ok(fresh.some((e) => e.entry?.kind === 'clearance.changed' && e.entry.user === 'eva.horvath'));
  });

  it('lists who read a cable, each read with its inclusion proof, verified', async () => {
    const found = await cableReads(officer, net.cable);
    // The draft's openings before release (the releasing officer's review, the drafter's before sending) and the
    // drafter's check of the released draft are on the record too.
    const who = found.reads.map((r) => `${r.entry.kind} ${r.entry.user}`);
    assert.deepEqual(who, [
      `draft.read ${People.releaser}`, `draft.read ${People.drafter}`, `share.released ${People.drafter}`, `cable.read ${People.reader}`, `cable.read ${People.reader2}`,
    ]);
    for (const r of found.reads) {
      assert.equal(r.entry.cable, net.cable);
      assert.equal(r.details?.ip, '127.0.0.1');
      verifyInclusion(p, { leafIndex: r.index, treeSize: found.head.checkpoint.size, leafHash: leafHash(p, r.leaf), root: found.head.checkpoint.root, proof: r.proof });
    }
    assert.deepEqual((await cableReads(officer, 'EEAS.DEL.WASHINGTON/2026/999999' as CableId)).reads, []);
    // A scan that does not reach the signed root could be missing reads: it is refused, not shown.
    const dropped = await officerSeeing((e) => e.filter((x) => x.index !== found.reads[0]!.index));
    assert.equal((await refusal(cableReads(dropped, net.cable))).code, 'log.bad_proof');
  });

  it('is for security officers: a member’s device may not page through the log', async () => {
    const reader = await net.network.session(People.reader, node.url);
    sessions.push(reader);
    const error = await refusal(verifyLog(reader));
    assert.equal(error.code, 'request.forbidden');
  });
});
