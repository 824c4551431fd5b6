// `chancery audit` as a security officer runs it, in real processes against a real node (issue 4 "Tests that prove
// the promises"): a clean log verifies with progress; proof, tail, reads and checkpoint print what they proved; a
// checkpoint signed by the node's own log key over another history (a fork) is caught when two clients compare;
// and with the node stopped and its database rewritten past the append-only triggers — one leaf rewritten, one
// row deleted, two rows swapped — `audit verify` fails, naming the entry.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fromBase64, utf8 } from '../../src/bytes.ts';
import { readClientConfig } from '../../src/client/config.ts';
import { parseCheckpoint } from '../../src/log/checkpoint.ts';
import { decodeLogEntry, encodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { parseNote } from '../../src/log/note.ts';
import { verifyInclusion } from '../../src/log/proofs.ts';
import type { RunningNode } from '../../src/node/serve.ts';
import { buildAuditNetwork, forkedCheckpoint, initSendNetwork, p, People, serveNode, storedLeaves, type AuditNetwork } from '../support/audit-network.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
/** The send network's passphrase (test/support/send-network.ts): test keys only. */
const PASSPHRASE = 'send network';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking: the node under test is served by this very process. */
function chancery(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CHANCERY_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

const sizeOf = (note: string) => parseCheckpoint(parseNote(utf8(note)).text).size;

describe('chancery audit (real processes, a real node)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-cli-audit-'));
  let node: RunningNode;
  let running = false;
  let net: AuditNetwork;
  const officer = () => net.network.keyFile(People.officer);
  const audit = (url: string, ...args: string[]) => chancery(['audit', ...args, '--key', officer(), '--node', url]);

  before(async () => {
    const network = await initSendNetwork(dir);
    node = await serveNode(network.dataDir);
    running = true;
    net = await buildAuditNetwork(network, node);
  });

  after(async () => {
    if (running) await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify on a clean log exits 0 with progress on stderr; checkpoint prints the note it saved', async () => {
    const size = storedLeaves(net.dbPath).length;
    const r = await audit(node.url, 'verify');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^audit verify: ${size}/${size} entries \\(100%\\)$`, 'm'), 'plain progress lines when stderr is not a terminal');
    assert.match(r.stdout, new RegExp(`^Log verified: ${size} entries recomputed to the root of the signed checkpoint chancery/EEAS ${size} `));
    assert.match(r.stdout, /cable\.read 2/);
    const saved = (await readClientConfig(officer())).auditCheckpoint;
    assert.equal(sizeOf(saved!), size);
    const c = await chancery(['audit', 'checkpoint', '--key', officer()]);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout, saved, 'the note exactly, to hand to another client');
  });

  it('proof, tail and reads print entries proven against the signed checkpoint', async () => {
    const leaves = storedLeaves(net.dbPath);
    const [proof, tail, reads] = await Promise.all([
      audit(node.url, 'proof', '3', '--json'),
      audit(node.url, 'tail', '--count', '3'),
      audit(node.url, 'reads', '--cable', net.cable),
    ]);
    for (const r of [proof, tail, reads]) assert.equal(r.status, 0, r.stderr);
    const proven = JSON.parse(proof.stdout) as { index: number; leaf: string; size: number; proof: string[]; checkpoint: string };
    const head = parseCheckpoint(parseNote(utf8(proven.checkpoint)).text);
    verifyInclusion(p, { leafIndex: 3, treeSize: head.size, leafHash: leafHash(p, fromBase64(proven.leaf)), root: head.root, proof: proven.proof.map(fromBase64) });
    const lines = tail.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => Number(l.trim().split(/\s+/)[0])), [leaves.length - 3, leaves.length - 2, leaves.length - 1]);
    assert.match(reads.stdout, new RegExp(`cable\\.read\\s+${People.reader}\\s+d-piet-1\\s+EEAS\\.HQ\\.AMERICAS\\s+127\\.0\\.0\\.1`));
    // Two openings of the draft (releasing officer, drafter), the drafter's check before sending, two readers.
    assert.match(reads.stdout, new RegExp(`draft\\.read\\s+${People.releaser}\\s`));
    assert.match(reads.stdout, /5 read\(s\) of .*each entry's inclusion proof verified/);
  });

  it('two clients comparing catch a fork: verify --against the checkpoint the other was shown fails with log.inconsistent', async () => {
    // The other client was shown a history of the same length with one read erased from it, signed by the log key.
    const leaves = storedLeaves(net.dbPath);
    const read = leaves.findIndex((l) => decodeLogEntry(l).kind === 'cable.read');
    const history = leaves.map((l, i) => (i === read ? encodeLogEntry({ ...decodeLogEntry(leaves[0]!), at: 1 }) : l));
    const theirs = join(dir, 'their-checkpoint.txt');
    writeFileSync(theirs, await forkedCheckpoint(net.network.dataDir, history));
    const r = await audit(node.url, 'verify', '--against', theirs);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`error \\[log\\.inconsistent\\]: the other checkpoint \\(${leaves.length} entries, root .*\\) is not a state of this log.*two different histories`));
  });

  it('catches one stored row rewritten, deleted or swapped (triggers dropped), naming the entry', async () => {
    const leaves = storedLeaves(net.dbPath);
    const read = leaves.findIndex((l) => decodeLogEntry(l).kind === 'cable.read');
    const entry = decodeLogEntry(leaves[read]!);
    assert.ok(entry.kind === 'cable.read');
    await node.close();
    running = false;
    const tampered: [string, (db: Database.Database) => void, RegExp][] = [
      [
        'a read rewritten as someone else’s',
        (db) => db.prepare('UPDATE log_entries SET leaf = ? WHERE idx = ?').run(encodeLogEntry({ ...entry, user: People.reader2 }), read),
        new RegExp(`error \\[log\\.bad_proof\\]: entry ${read} is the first that does not match the checkpoint`),
      ],
      ['a row deleted', (db) => db.prepare('DELETE FROM log_entries WHERE idx = 7').run(), /error \[log\.bad_proof\]: entry 7 is missing: the node serves entry 8 right after entry 6/],
      [
        'two rows swapped',
        (db) => {
          const move = db.prepare('UPDATE log_entries SET idx = ? WHERE idx = ?');
          move.run(1_000_000, 4);
          move.run(4, 9);
          move.run(9, 1_000_000);
        },
        /error \[log\.bad_proof\]: entry 4 is the first that does not match the checkpoint/,
      ],
    ];
    const nodes: RunningNode[] = [];
    try {
      const runs = tampered.map(async ([what, change, message], i) => {
        const data = join(dir, `tampered-${i}`);
        cpSync(net.network.dataDir, data, { recursive: true });
        const db = new Database(join(data, 'node.sqlite'));
        try {
          // Only an operator with the file can do this, and the triggers are no obstacle to one; the tree is.
          db.pragma('foreign_keys = OFF');
          db.exec('DROP TRIGGER log_entries_update_refused; DROP TRIGGER log_entries_delete_refused;');
          change(db);
        } finally {
          db.close();
        }
        const served = await serveNode(data);
        nodes.push(served);
        const r = await audit(served.url, 'verify');
        assert.equal(r.status, 1, `${what}: ${r.stdout}`);
        assert.match(r.stderr, message, what);
      });
      await Promise.all(runs);
    } finally {
      for (const n of nodes) await n.close();
    }
  });
});
