// One-time enrollment codes for browser devices (docs/web-auth.md): 80 random bits written as 16 Crockford base32
// characters in four groups, so a person can read one out over the phone. The node keeps only the code's SHA-256;
// failed attempts are counted per user in memory, and five wrong codes in 15 minutes close that user's enrollment
// for the rest of the window.
import type { UserId } from '../../cable/types.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { utf8 } from '../../bytes.ts';
import { WebAuthError } from '../../errors.ts';
import type { NodeContext } from '../node-context.ts';

/** Crockford's alphabet: no I, L, O, U (https://www.crockford.com/base32.html). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 10;
const CODE_CHARS = 16;
export const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_TRACKED_USERS = 10_000;

/** 80 bits → 16 characters, 5 bits each, most significant first. */
function encode(bytes: Uint8Array): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = CODE_CHARS - 1; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

function grouped(chars: string): string {
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4)).join('-');
}

/** A fresh code, as shown to the person: `7K3M-Q9ZX-…`. */
export function newEnrollmentCode(p: CryptoProvider): string {
  return grouped(encode(p.randomBytes(CODE_BYTES)));
}

/**
 * The code's canonical form (16 characters, no separators), or null if it cannot be one: hyphens and spaces are
 * ignored, case too, and the look-alikes Crockford decodes (I, L → 1; O → 0) are accepted.
 */
export function canonicalCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const chars = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (chars.length !== CODE_CHARS || ![...chars].every((c) => ALPHABET.includes(c))) return null;
  return chars;
}

/** What the store keeps for a code: SHA-256 of its canonical form. */
export function codeHash(p: CryptoProvider, canonical: string): Uint8Array {
  return p.sha256(utf8(`chancery/enrollment-code/v1/${canonical}`));
}

const failures = new WeakMap<NodeContext, Map<UserId, number[]>>();

function recent(node: NodeContext, user: UserId, now: number): number[] {
  let map = failures.get(node);
  if (!map) failures.set(node, (map = new Map<UserId, number[]>()));
  const kept = (map.get(user) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
  if (kept.length === 0) map.delete(user);
  else map.set(user, kept);
  return kept;
}

/** Refuses any attempt for `user` while five wrong codes lie within the last 15 minutes. */
export function checkNotLocked(node: NodeContext, user: UserId, now: number): void {
  if (recent(node, user, now).length >= MAX_FAILURES) {
    throw new WebAuthError('enrollment.locked', `too many wrong enrollment codes for ${user}: try again in 15 minutes`);
  }
}

/** Counts a wrong code for `user` and returns the error to throw. */
export function wrongCode(node: NodeContext, user: UserId, now: number, why: string): WebAuthError {
  const list = recent(node, user, now);
  list.push(now);
  const map = failures.get(node) ?? new Map<UserId, number[]>();
  // Bounded: the user named is the caller's word, so the oldest entry goes first past 10,000 users.
  if (!map.has(user) && map.size >= MAX_TRACKED_USERS) map.delete(map.keys().next().value as UserId);
  map.set(user, list);
  failures.set(node, map);
  return new WebAuthError('enrollment.bad_code', `enrollment code refused: ${why}`);
}
