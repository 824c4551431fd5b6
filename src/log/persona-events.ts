// The audit log's persona events (issue 7 "canary cable … drafted by security officers' clients under declared
// personas"): a user account the security officers hold to draft or release decoy cables, declared on the log so
// that the record says it is not a person. Kept beside event-types.ts, which unions them into LogEntry; the CBOR
// mapping is persona-fields.ts.
import type { OfficeCode, UserId } from '../cable/types.ts';
import type { EntryHeader } from './event-types.ts';

type Entry<K extends string, F> = EntryHeader & { readonly kind: K } & F;

export const PersonaKinds = ['persona.declared'] as const;

/**
 * The security officer `officer` declared `persona` a persona of theirs in `office` (docs/detection.md "Planted
 * canaries"). No `user` field: the entry is about no ordinary user, so no ordinary device — the persona's own
 * included — is shown it.
 */
export type PersonaDeclared = Entry<'persona.declared', { readonly persona: UserId; readonly office: OfficeCode; readonly officer: UserId }>;

export type PersonaEntry = PersonaDeclared;
