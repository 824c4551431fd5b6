// Signed notes against published examples: the package documentation of Go's golang.org/x/mod/sumdb/note
// (PeterNeumann, and the doubly-signed EnochRoot note of its ExampleSign, whose key comes from an all-zero seed),
// the C2SP signed-note example key, and a real sum.golang.org checkpoint; then the strict parser's refusals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes, fromBase64, toBase64, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { ML_DSA_65_NOTE_ID, NoteSignatureType, formatVerifierKey, noteKey, parseVerifierKey, type NoteKey } from '../../src/log/note-keys.ts';
import { NoteLimits, openNote, parseNote, signNote } from '../../src/log/note.ts';
import { parseCheckpoint } from '../../src/log/checkpoint.ts';
import { rejectsLog, throwsLog } from './fixtures.ts';

// golang.org/x/mod/sumdb/note, package documentation ("Example") and example_test.go.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_LINE = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const ENOCH_LINE = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
// C2SP signed-note, the example verifier key and note.
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
// The Go checksum database's key (cmd/go/internal/modfetch/key.go) and one of its checkpoints (key name ≠ origin).
const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_NOTE =
  'go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n';

/** Go's signer key text `PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)`, read here only for the example. */
async function goSigner(skey: string): Promise<{ key: NoteKey; secret: Uint8Array }> {
  const parts = skey.split('+');
  const [prefix1, prefix2, name, id] = parts;
  assert.deepEqual([prefix1, prefix2], ['PRIVATE', 'KEY']);
  const raw = fromBase64(parts.slice(4).join('+')); // base64 may hold '+' of its own
  assert.equal(raw[0], 0x01);
  const secret = raw.slice(1);
  const key = noteKey(p, 'ed25519', name!, await p.ed25519PublicKey(secret));
  assert.equal(key.keyId.toString(16).padStart(8, '0'), id);
  return { key, secret };
}

describe('Go sumdb/note examples, byte for byte', () => {
  it('signs the PeterNeumann note exactly as the package documentation shows', async () => {
    const peter = await goSigner(GO_SKEY);
    assert.equal(formatVerifierKey(peter.key), GO_VKEY);
    assert.equal(peter.key.keyId, 0xc74f20a3);
    const note = await signNote(p, GO_TEXT, [peter]);
    assert.equal(new TextDecoder().decode(note), `${GO_TEXT}\n${PETER_LINE}`);
  });

  it('opens it with the published verifier key, and refuses any change to its text', async () => {
    const vkey = parseVerifierKey(p, GO_VKEY);
    const opened = await openNote(p, utf8(`${GO_TEXT}\n${PETER_LINE}`), [vkey]);
    assert.equal(opened.text, GO_TEXT);
    assert.deepEqual(opened.verified, [vkey]);
    await rejectsLog(openNote(p, utf8(`${GO_TEXT.replace('answer', 'Answer')}\n${PETER_LINE}`), [vkey]), ['log.bad_signature']);
  });

  it('reproduces the doubly-signed note of ExampleSign: EnochRoot from an all-zero seed', async () => {
    const peter = await goSigner(GO_SKEY);
    const enochSeed = new Uint8Array(32);
    const enoch = { key: noteKey(p, 'ed25519', 'EnochRoot', await p.ed25519PublicKey(enochSeed)), secret: enochSeed };
    assert.equal(formatVerifierKey(enoch.key), ENOCH_VKEY);
    const note = await signNote(p, GO_TEXT, [peter, enoch]);
    assert.equal(new TextDecoder().decode(note), `${GO_TEXT}\n${PETER_LINE}${ENOCH_LINE}`);
    // With one of the two keys known, the other signature is kept aside unverified (C2SP: ignored).
    const opened = await openNote(p, note, [parseVerifierKey(p, ENOCH_VKEY)]);
    assert.deepEqual(opened.unverified.map((s) => [s.name, s.keyId]), [['PeterNeumann', 0xc74f20a3]]);
    assert.equal(opened.verified.length, 1);
  });

  it('opens the C2SP signed-note example', async () => {
    const opened = await openNote(p, utf8(C2SP_NOTE), [parseVerifierKey(p, C2SP_VKEY)]);
    assert.equal(opened.text, 'This is an example message.\n');
  });

  it('opens a real sum.golang.org checkpoint and reads its tree head', async () => {
    const opened = await openNote(p, utf8(SUMDB_NOTE), [parseVerifierKey(p, SUMDB_VKEY)]);
    const c = parseCheckpoint(opened.text);
    assert.equal(c.origin, 'go.sum database tree');
    assert.equal(c.size, 6476701);
    assert.equal(toBase64(c.root), 'mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=');
    await rejectsLog(openNote(p, utf8(SUMDB_NOTE.replace('6476701', '6476702')), [parseVerifierKey(p, SUMDB_VKEY)]), ['log.bad_signature']);
  });

  it('refuses a note no known key signed', async () => {
    await rejectsLog(openNote(p, utf8(`${GO_TEXT}\n${PETER_LINE}`), [parseVerifierKey(p, ENOCH_VKEY)]), ['log.bad_signature']);
    await rejectsLog(openNote(p, utf8(`${GO_TEXT}\n${PETER_LINE}`), []), ['log.bad_signature']);
  });
});

describe('strict note parsing', () => {
  const good = `${GO_TEXT}\n${PETER_LINE}`;
  const sig = PETER_LINE.slice('— PeterNeumann '.length, -1);
  // Non-zero bits in the padding of the last base64 group: Go's decoder accepts it; we do not.
  const nonCanonical = `${sig.slice(0, -2)}N=`;
  const cases: Record<string, string> = {
    'no blank line': `${GO_TEXT}${PETER_LINE}`,
    'no final newline': good.slice(0, -1),
    'no signature': `${GO_TEXT}\n`,
    'a carriage return': good.replace('problem,\n', 'problem,\r\n'),
    'a tab': good.replace('If you', 'If\tyou'),
    'a NUL': good.replace('If you', 'If\0you'),
    'a hyphen for the em dash': good.replace('— ', '- '),
    'no space after the dash': good.replace('— ', '—'),
    'no space before the signature': good.replace('PeterNeumann ', 'PeterNeumann'),
    'two spaces before the signature': good.replace('PeterNeumann ', 'PeterNeumann  '),
    'a plus in the key name': good.replace('PeterNeumann ', 'Peter+Neumann '),
    'an empty key name': good.replace('PeterNeumann ', ' '),
    'a no-break space in the key name': good.replace('PeterNeumann ', 'Peter\u00a0Neumann '),
    'non-canonical base64': good.replace(sig, nonCanonical),
    'a signature of 4 bytes': good.replace(sig, toBase64(Uint8Array.of(1, 2, 3, 4))),
    'a line after the signatures that is not one': `${good}trailing\n`,
    'the same signature twice': `${good}${PETER_LINE}`,
    'too many signatures': `${GO_TEXT}\n${Array.from({ length: NoteLimits.maxSignatures + 1 }, (_, i) => `— k${i} ${sig}\n`).join('')}`,
    'too large': `${'a'.repeat(NoteLimits.maxBytes)}\n\n${PETER_LINE}`,
  };

  for (const [what, text] of Object.entries(cases)) {
    it(`refuses ${what}`, () => throwsLog(() => parseNote(utf8(text)), ['log.bad_checkpoint'], what));
  }

  it('refuses invalid UTF-8 and non-bytes', () => {
    throwsLog(() => parseNote(concatBytes(utf8('a'), Uint8Array.of(0xff), utf8(`\n\n${PETER_LINE}`))), ['log.bad_checkpoint']);
    throwsLog(() => parseNote(good as unknown as Uint8Array), ['log.bad_checkpoint']);
  });

  it('splits at the last blank line, as Go does (the text may hold blank lines)', () => {
    const n = parseNote(utf8(`a\n\nb\n\n${PETER_LINE}`));
    assert.equal(n.text, 'a\n\nb\n');
    assert.equal(n.signatures.length, 1);
  });
});

describe('verifier keys', () => {
  it('refuse every malformed spelling', () => {
    const material = GO_VKEY.slice(GO_VKEY.lastIndexOf('+') + 1);
    for (const bad of [
      'PeterNeumann+C74F20A3+' + material,
      'PeterNeumann+c74f20a4+' + material,
      'PeterNeumann+c74f20a+' + material,
      'PeterNeumann+c74f20a3',
      'PeterNeumann',
      'Peter Neumann+c74f20a3+' + material,
      '+c74f20a3+' + material,
      'PeterNeumann+c74f20a3+' + material.slice(0, -4),
      'PeterNeumann+c74f20a3+' + toBase64(concatBytes(Uint8Array.of(0x02), fromBase64(material).slice(1))),
      'PeterNeumann+c74f20a3+' + toBase64(fromBase64(material).slice(0, 32)),
      'x'.repeat(5000),
    ]) {
      throwsLog(() => parseVerifierKey(p, bad), ['log.bad_key'], bad.slice(0, 40));
    }
  });

  it('round-trip for Chancery’s ML-DSA-65 type (0xff ‖ identifier)', () => {
    assert.deepEqual(NoteSignatureType, { ed25519: 0x01, unassigned: 0xff });
    assert.equal(ML_DSA_65_NOTE_ID, 'chancery/ml-dsa-65-note/v1');
    const pub = p.mlDsa65KeyGen(new Uint8Array(32).fill(7)).publicKey;
    const key = noteKey(p, 'ml-dsa-65', 'chancery.example/log/ml-dsa-65', pub);
    const text = formatVerifierKey(key);
    assert.ok(text.startsWith(`chancery.example/log/ml-dsa-65+${key.keyId.toString(16).padStart(8, '0')}+/2NoYW5jZXJ5L21sLWRzYS02NS1ub3RlL3YxA`));
    assert.deepEqual(parseVerifierKey(p, text), key);
    throwsLog(() => noteKey(p, 'ml-dsa-65', 'n', pub.slice(1)), ['log.bad_key']);
    throwsLog(() => noteKey(p, 'ed25519', 'a+b', new Uint8Array(32)), ['log.bad_key']);
  });
});
