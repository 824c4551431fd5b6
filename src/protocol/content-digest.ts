// RFC 9530 `Content-Digest` for request bodies: the signature covers this header, and the header binds the body.
// Only sha-256 is produced or accepted, so there is no algorithm negotiation for an attacker to steer.
import { equalBytes, toBase64 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { AuthError } from '../errors.ts';
import { parseDictionary, type Dictionary } from './structured-fields.ts';

/** Header name (lower-case, as it is covered in a signature base) and the size cap on its value. */
export const ContentDigest = {
  header: 'content-digest',
  algorithm: 'sha-256',
  digestLength: 32,
  maxHeaderLength: 4096,
} as const;

/**
 * The `Content-Digest` value of a body: `sha-256=:<base64 SHA-256>:` (RFC 9530 §2, a Structured Field
 * Dictionary whose member value is a Byte Sequence). An empty body has the digest of the empty string.
 *
 * @example
 * contentDigest(p, utf8('{"hello": "world"}')); // 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
 */
export function contentDigest(p: CryptoProvider, body: Uint8Array): string {
  if (!(body instanceof Uint8Array)) throw new TypeError('contentDigest: body must be a Uint8Array');
  return `${ContentDigest.algorithm}=:${toBase64(p.sha256(body))}:`;
}

function parse(header: string): Dictionary {
  try {
    return parseDictionary(header, ContentDigest.maxHeaderLength);
  } catch (cause) {
    throw new AuthError('auth.malformed_signature', 'Content-Digest is not a structured-field dictionary', { cause });
  }
}

/**
 * Checks a received `Content-Digest` against the body. Throws AuthError:
 * - `auth.malformed_signature` when the header is absent (it is a covered component of every request signature,
 *   RFC 9421 §3.2 fails verification on an absent component), too long, or not a dictionary of byte sequences;
 * - `auth.digest_mismatch` when it names any algorithm other than sha-256 (RFC 9530 §6.2 lets a recipient
 *   refuse algorithms it does not support; we support one) or when the digest differs from the body's.
 *
 * @example
 * verifyContentDigest(p, request.headers.get('content-digest'), body);
 */
export function verifyContentDigest(p: CryptoProvider, header: string | null | undefined, body: Uint8Array): asserts header is string {
  if (typeof header !== 'string') throw new AuthError('auth.malformed_signature', 'Content-Digest header missing');
  const members = parse(header);
  for (const [name, member] of members) {
    if (member.kind !== 'item' || member.value.kind !== 'bytes') {
      throw new AuthError('auth.malformed_signature', 'Content-Digest members must be byte sequences');
    }
    if (name !== ContentDigest.algorithm) throw new AuthError('auth.digest_mismatch', 'only sha-256 content digests are accepted');
  }
  const claimed = members.get(ContentDigest.algorithm);
  if (claimed?.kind !== 'item' || claimed.value.kind !== 'bytes') {
    throw new AuthError('auth.digest_mismatch', 'Content-Digest has no sha-256 member');
  }
  // A digest is public, but comparing in constant time costs nothing and keeps one habit (STYLE.md §6).
  if (!equalBytes(claimed.value.value, p.sha256(body))) throw new AuthError('auth.digest_mismatch', 'body does not match Content-Digest');
}
