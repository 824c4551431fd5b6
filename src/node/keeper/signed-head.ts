// The keeper's memory of the last checkpoint it signed (DATA/keeper-head.json, mode 0600, written only by the
// keeper). It is what makes the keeper refuse a fork: a tree that does not extend this head is never signed. It
// lives in the keeper's own file, not in the store the web process writes, and it is on disk before the note leaves
// the keeper, so a keeper restarted (or killed by a compromised web process) remembers it.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../../bytes.ts';
import { HASH_LENGTH } from '../../log/merkle.ts';
import { FileError } from '../../errors.ts';

/** A signed tree head: its size, its root and the note the keeper signed for it. */
export interface SignedHead {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: Uint8Array;
}

/** The keeper's head file, or null when there is none yet (`file.malformed` for a damaged one: never guessed). */
export function readSignedHead(path: string): SignedHead | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FileError('file.missing', `cannot read the keeper's head file ${path}`, { cause: error });
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>; // an object: only read, then checked
    if (j.v !== 1 || typeof j.size !== 'number' || !Number.isSafeInteger(j.size) || j.size < 0) throw new Error('size');
    if (typeof j.root !== 'string' || typeof j.note !== 'string') throw new Error('shape');
    const root = fromBase64(j.root);
    if (root.length !== HASH_LENGTH) throw new Error('root length');
    return { size: j.size, root, note: utf8(j.note) };
  } catch (cause) {
    throw new FileError('file.malformed', `the keeper's head file ${path} is malformed: restore it from backup`, { cause });
  }
}

function writeAll(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the head file in one step (write beside it, sync, rename, sync the directory). */
export function writeSignedHead(path: string, head: SignedHead): void {
  const text = `${JSON.stringify({ v: 1, size: head.size, root: toBase64(head.root), note: fromUtf8(head.note) })}\n`;
  const temporary = `${path}.tmp`;
  try {
    writeAll(temporary, utf8(text));
    renameSync(temporary, path);
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (cause) {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed, or never written
    }
    throw new FileError('file.malformed', `cannot write the keeper's head file ${path}`, { cause });
  }
}
