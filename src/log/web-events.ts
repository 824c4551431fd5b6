// The audit log's web app events (issue 6 "Client integrity"; docs/web-integrity.md): each web release the
// organisation root signed, recorded so a browser runs only bundles the log shows to everyone. Kept beside
// event-types.ts, which unions them into LogEntry; the CBOR mapping is web-fields.ts.
import type { CableId, UserId } from '../cable/types.ts';
import type { EntryHeader } from './event-types.ts';

type Entry<K extends string, F> = EntryHeader & { readonly kind: K } & F;

export const WebKinds = ['web.released', 'draft.returned'] as const;

/**
 * A build of the web app released: `manifestHash` is SHA-256 of its manifest.json, `version` the release's name,
 * `recordHash` SHA-256 of the root-signed web release record (src/keys/web-release.ts, kept beside the entry), `by`
 * the security officer whose device uploaded it.
 */
export type WebReleased = Entry<'web.released', { readonly manifestHash: Uint8Array; readonly version: string; readonly recordHash: Uint8Array; readonly by: UserId }>;

/**
 * A releasing officer (`by`) returned the draft `cable` to its drafter with a comment (issue 6 release queue). The
 * comment is sealed to devices and is not here: it may quote the cable.
 */
export type DraftReturned = Entry<'draft.returned', { readonly cable: CableId; readonly by: UserId }>;

export type WebEntry = WebReleased | DraftReturned;
