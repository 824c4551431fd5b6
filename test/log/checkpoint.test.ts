// Checkpoints (C2SP tlog-checkpoint in a signed note): the exact text, the round trip, a Go-style verifier that
// knows only the Ed25519 key, the policy that needs both signatures, every tamper refused, and consistency
// between two checkpoints (a fork or a rollback is `log.inconsistent`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, fromUtf8, toBase64, utf8 } from '../../src/bytes.ts';
import { hybridSigningKeyFromSeeds, type HybridSigningKey } from '../../src/crypto/hybrid-signature.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import {
  CheckpointLimits,
  checkpointPolicy,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpointConsistency,
  type Checkpoint,
} from '../../src/log/checkpoint.ts';
import { emptyRoot } from '../../src/log/merkle.ts';
import { formatVerifierKey, parseVerifierKey } from '../../src/log/note-keys.ts';
import { openNote, signNote } from '../../src/log/note.ts';
import { consistencyProof } from '../../src/log/proofs.ts';
import { providers } from '../crypto/providers.ts';
import { buildTree, flipByte, isLogError, rejectsLog, throwsLog } from './fixtures.ts';

const ORIGIN = 'chancery.example/log';

async function logKey(seed: number): Promise<HybridSigningKey> {
  return hybridSigningKeyFromSeeds(p, new Uint8Array(32).fill(seed), new Uint8Array(32).fill(seed + 1));
}

const tree = buildTree(p, 20);
const at = (size: number, extensions: string[] = []): Checkpoint => ({ origin: ORIGIN, size, root: tree.rootAt(size), extensions });

describe('checkpoint text (C2SP tlog-checkpoint)', () => {
  it('is origin, size and base64 root, one per line, then the extension lines', () => {
    const c = at(20, ['ext one']);
    assert.equal(formatCheckpoint(c), `${ORIGIN}\n20\n${toBase64(c.root)}\next one\n`);
    assert.deepEqual(parseCheckpoint(formatCheckpoint(c)), c);
    assert.deepEqual(parseCheckpoint(`${ORIGIN}\n0\n${toBase64(emptyRoot(p))}\n`).size, 0);
    assert.equal(parseCheckpoint(`o\n9007199254740991\n${toBase64(c.root)}\n`).size, Number.MAX_SAFE_INTEGER);
  });

  it('refuses every malformed text', () => {
    const root = toBase64(tree.root());
    const cases: Record<string, string> = {
      'leading zero': `o\n020\n${root}\n`,
      'a sign': `o\n+20\n${root}\n`,
      negative: `o\n-1\n${root}\n`,
      'a space': `o\n 20\n${root}\n`,
      'a fraction': `o\n20.0\n${root}\n`,
      'hex size': `o\n0x14\n${root}\n`,
      '2^53': `o\n9007199254740992\n${root}\n`,
      'empty size': `o\n\n${root}\n`,
      'a short root': `o\n20\n${toBase64(tree.root().slice(1))}\n`,
      'a long root': `o\n20\n${toBase64(new Uint8Array(33))}\n`,
      'a non-canonical root': `o\n20\n${root.slice(0, -2)}N=\n`,
      'no root': `o\n20\n`,
      'an empty origin': `\n20\n${root}\n`,
      'a tab in the origin': `o\tx\n20\n${root}\n`,
      'an empty extension line': `o\n20\n${root}\n\nx\n`,
      'no final newline': `o\n20\n${root}`,
      'too many extension lines': `o\n20\n${root}\n${'x\n'.repeat(CheckpointLimits.maxExtensions + 1)}`,
      'too long': `${'o'.repeat(CheckpointLimits.maxTextLength)}\n20\n${root}\n`,
    };
    for (const [what, text] of Object.entries(cases)) throwsLog(() => parseCheckpoint(text), ['log.bad_checkpoint'], what);
  });

  it('carries the signing time as the first extension line, and only there', () => {
    const c = { ...at(20, ['ext one']), time: 1_764_140_000_000 };
    const text = formatCheckpoint(c);
    assert.equal(text, `${ORIGIN}\n20\n${toBase64(c.root)}\ntime 1764140000000\next one\n`);
    assert.deepEqual(parseCheckpoint(text), c);
    assert.equal(parseCheckpoint(formatCheckpoint(at(20))).time, undefined);
    const root = toBase64(tree.root());
    const cases: Record<string, string> = {
      'a time after another extension': `o\n20\n${root}\nx\ntime 5\n`,
      'two time lines': `o\n20\n${root}\ntime 5\ntime 6\n`,
      'a leading zero': `o\n20\n${root}\ntime 05\n`,
      'a negative time': `o\n20\n${root}\ntime -5\n`,
      'a time beyond 2^53': `o\n20\n${root}\ntime 9007199254740992\n`,
    };
    for (const [what, text] of Object.entries(cases)) throwsLog(() => parseCheckpoint(text), ['log.bad_checkpoint'], what);
    assert.throws(() => formatCheckpoint({ ...at(3), time: -1 }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), time: 1.5 }), RangeError);
  });

  it('never formats what would not parse back as itself', () => {
    assert.throws(() => formatCheckpoint({ ...at(3), origin: 'a\nb' }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), extensions: [''] }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), extensions: ['a\nb'] }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), size: 2 ** 53 }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), size: -1 }), RangeError);
    assert.throws(() => formatCheckpoint({ ...at(3), root: new Uint8Array(31) }), RangeError);
  });
});

describe('signed checkpoints', async () => {
  const key = await logKey(1);
  const policy = checkpointPolicy(p, ORIGIN, key.public);
  const note = await signCheckpoint(p, at(20), key);
  const text = fromUtf8(note);

  it('carry an Ed25519 line under the origin and an ML-DSA-65 line under origin/ml-dsa-65', () => {
    const [body, sigs] = text.split('\n\n');
    assert.equal(`${body}\n`, formatCheckpoint(at(20)));
    const lines = sigs!.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[0]!.startsWith(`— ${ORIGIN} `));
    assert.ok(lines[1]!.startsWith(`— ${ORIGIN}/ml-dsa-65 `));
    assert.equal(Buffer.from(lines[0]!.split(' ')[2]!, 'base64').length, 4 + 64);
    assert.equal(Buffer.from(lines[1]!.split(' ')[2]!, 'base64').length, 4 + 3309);
  });

  it('open under the policy, extension lines and all', async () => {
    assert.deepEqual(await openCheckpoint(p, note, policy), at(20));
    const withExt = await signCheckpoint(p, at(7, ['chancery/v1 epoch 3']), key);
    assert.deepEqual(await openCheckpoint(p, withExt, policy), at(7, ['chancery/v1 epoch 3']));
  });

  it('open the same under every provider (node:crypto, noble, WebCrypto), proofs included', async () => {
    for (const q of providers) {
      assert.deepEqual(await openCheckpoint(q, await signCheckpoint(q, at(20), key), policy), at(20), q.name);
      assert.deepEqual(await openCheckpoint(q, note, checkpointPolicy(q, ORIGIN, key.public)), at(20), q.name);
      verifyCheckpointConsistency(q, at(6), at(20), consistencyProof(q, buildTree(q, 20), 6, 20));
    }
  });

  it('verify with nothing but the Ed25519 verifier key, as Go’s note.Open would (the ML-DSA line is ignored)', async () => {
    const vkey = formatVerifierKey(policy.ed25519);
    assert.match(vkey, /^chancery\.example\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    const opened = await openNote(p, note, [parseVerifierKey(p, vkey)]);
    assert.equal(opened.verified.length, 1);
    assert.deepEqual(opened.unverified.map((s) => s.name), [`${ORIGIN}/ml-dsa-65`]);
  });

  it('need both signatures of the log’s keys', async () => {
    const [body, sigs] = text.split('\n\n');
    const [ed, dsa] = sigs!.trimEnd().split('\n');
    await rejectsLog(openCheckpoint(p, utf8(`${body}\n\n${ed}\n`), policy), ['log.bad_signature'], 'Ed25519 only');
    await rejectsLog(openCheckpoint(p, utf8(`${body}\n\n${dsa}\n`), policy), ['log.bad_signature'], 'ML-DSA only');
    // The order of the lines does not matter; another key's line (a witness) is ignored.
    assert.equal((await openCheckpoint(p, utf8(`${body}\n\n${dsa}\n${ed}\n`), policy)).size, 20);
    const witness = await logKey(9);
    const cosigned = await signNote(p, `${body}\n`, [{ key: checkpointPolicy(p, 'witness.example/w1', witness.public).ed25519, secret: witness.secret.ed25519Seed }]);
    const witnessLine = fromUtf8(cosigned).split('\n\n')[1]!;
    assert.equal((await openCheckpoint(p, utf8(`${text}${witnessLine}`), policy)).size, 20);
  });

  it('refuse another log’s key, another origin, and a signature lifted from another checkpoint', async () => {
    const other = await logKey(5);
    await rejectsLog(openCheckpoint(p, await signCheckpoint(p, at(20), other), policy), ['log.bad_signature'], 'other key');
    const elsewhere = checkpointPolicy(p, 'other.example/log', key.public, { ed25519: ORIGIN, mlDsa65: `${ORIGIN}/ml-dsa-65` });
    await rejectsLog(openCheckpoint(p, note, elsewhere), ['log.bad_checkpoint'], 'other origin');
    const [, sigs19] = fromUtf8(await signCheckpoint(p, at(19), key)).split('\n\n');
    const [body] = text.split('\n\n');
    const [ed] = text.split('\n\n')[1]!.trimEnd().split('\n');
    const dsa19 = sigs19!.trimEnd().split('\n')[1];
    await rejectsLog(openCheckpoint(p, utf8(`${body}\n\n${ed}\n${dsa19}\n`), policy), ['log.bad_signature'], 'lifted ML-DSA');
  });

  it('refuse an empty tree whose root is not the empty root', async () => {
    const forged = await signCheckpoint(p, { origin: ORIGIN, size: 0, root: tree.root(), extensions: [] }, key);
    await rejectsLog(openCheckpoint(p, forged, policy), ['log.bad_checkpoint']);
    const honest = await signCheckpoint(p, { origin: ORIGIN, size: 0, root: emptyRoot(p), extensions: [] }, key);
    assert.equal((await openCheckpoint(p, honest, policy)).size, 0);
  });

  it('refuse every single-byte change to the body and the Ed25519 line', async () => {
    const edEnd = text.indexOf('\n', text.indexOf('\n\n') + 2) + 1;
    for (let i = 0; i < utf8(text.slice(0, edEnd)).length; i++) {
      await rejectsLog(openCheckpoint(p, flipByte(note, i, 0x01), policy), ['log.bad_checkpoint', 'log.bad_signature'], `byte ${i}`);
    }
  });

  it('refuse random single-byte changes anywhere, the ML-DSA line included (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: note.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, xor) => {
        try {
          await openCheckpoint(p, flipByte(note, i, xor), policy);
        } catch (e) {
          return isLogError(e, 'log.bad_checkpoint', 'log.bad_signature');
        }
        return false;
      }),
      { numRuns: 300 },
    );
  });
});

describe('the example in docs/log.md', () => {
  it('has this Ed25519 line and these verifier keys (example seeds 32 × 0x01 and 32 × 0x02)', async () => {
    const key = await logKey(1);
    const root = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    const text = fromUtf8(await signCheckpoint(p, { origin: ORIGIN, size: 8, root, extensions: [] }, key));
    assert.ok(
      text.startsWith(
        'chancery.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n' +
          '— chancery.example/log pieH0H3OUNlgxHPbu2cxk7/OFsV/yPJ4ijhYfF//kVAnL6eXFXTtM9NtCwVUbf4weBjORVE+XAWSz3JtM+CX7NaPMw4=\n' +
          '— chancery.example/log/ml-dsa-65 BwzOD', // key ID 070cce0d, then the hedged signature
      ),
    );
    const policy = checkpointPolicy(p, ORIGIN, key.public);
    assert.equal(formatVerifierKey(policy.ed25519), 'chancery.example/log+a62787d0+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c');
    const dsa = formatVerifierKey(policy.mlDsa65);
    assert.ok(dsa.startsWith('chancery.example/log/ml-dsa-65+070cce0d+/2NoYW5jZXJ5L21sLWRzYS02NS1ub3RlL3YxAApB'));
    assert.equal(dsa.length, 2680);
  });
});

describe('consistency between checkpoints', () => {
  const proof = (m: number, n: number): Uint8Array[] => consistencyProof(p, tree, m, n);

  it('accepts a log that only grew', () => {
    verifyCheckpointConsistency(p, at(5), at(20), proof(5, 20));
    verifyCheckpointConsistency(p, at(20), at(20), []);
    verifyCheckpointConsistency(p, { origin: ORIGIN, size: 0, root: emptyRoot(p), extensions: [] }, at(20), []);
  });

  it('catches a fork, a rollback and a rewritten past', () => {
    const forked = buildTree(p, 20, Array.from({ length: 20 }, (_, i) => utf8(i === 3 ? 'rewritten' : `entry ${i}`)));
    const fork: Checkpoint = { origin: ORIGIN, size: 20, root: forked.root(), extensions: [] };
    throwsLog(() => verifyCheckpointConsistency(p, at(20), fork, []), ['log.inconsistent'], 'same size, two roots');
    throwsLog(() => verifyCheckpointConsistency(p, at(20), at(5), proof(5, 20)), ['log.inconsistent'], 'rollback');
    throwsLog(() => verifyCheckpointConsistency(p, at(5), { ...fork }, proof(5, 20)), ['log.inconsistent'], 'rewritten past');
    throwsLog(() => verifyCheckpointConsistency(p, at(5), { ...at(20), origin: 'other' }, proof(5, 20)), ['log.bad_checkpoint'], 'origins');
  });
});
