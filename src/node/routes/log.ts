// The audit log's API (issue 4 "What goes in": API): the latest signed checkpoint, an entry with its inclusion
// proof, a consistency proof between two sizes, and a range of entries for security officers. Checkpoints and
// proofs are public — they are hashes and signatures, what peers and witnesses exchange (DESIGN.md "The audit
// log") — but an entry says who read what: a device sees only entries about its own user, and only a security
// officer sees an entry's personal details.
import type { UserId } from '../../cable/types.ts';
import { DecodeError, LogError, RequestError } from '../../errors.ts';
import { decodeLogEntry, type LogEntry } from '../../log/events.ts';
import { decodePersonalDetails } from '../../log/personal-details.ts';
import { StoreLimits, type LogEntryRow } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { b64 } from '../request-body.ts';
import type { RequestInput, Route } from '../route.ts';

/** A count or index in a query or path: decimal digits only, no sign or leading zero, a safe integer. */
function parseCount(name: string, text: string | null | undefined): number {
  if (text === null || text === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new RequestError('request.malformed', `${name} must be a non-negative decimal integer`);
  }
  return Number(text);
}

function optionalCount(input: RequestInput, name: string): number | null {
  return input.query.has(name) ? parseCount(name, input.query.get(name)) : null;
}

function decoded(row: LogEntryRow): LogEntry | null {
  try {
    return decodeLogEntry(row.leaf);
  } catch (error) {
    // An entry of a newer format (or a damaged row) is served as bytes: its hash is in the tree either way.
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

/** The user an entry is about (the reader, the device's owner, the grantee, the member), if any. */
function subjectOf(entry: LogEntry | null): UserId | null {
  return entry !== null && 'user' in entry ? entry.user : null;
}

/** An entry on the wire: its leaf data and kind, and for officers the personal details and salt beside it. */
function entryJson(row: LogEntryRow, withDetails: boolean) {
  const kind = decoded(row)?.kind ?? null;
  const base = { index: row.index, leaf: b64(row.leaf), kind, appendedAt: row.appendedAt };
  if (!withDetails) return base;
  if (row.details === null || row.salt === null) return { ...base, details: null };
  let details: Record<string, string>;
  try {
    details = { ...decodePersonalDetails(row.details) };
  } catch {
    details = {};
  }
  return { ...base, details: { ...details, salt: b64(row.salt) } };
}

const checkpoint: Route = {
  method: 'GET',
  path: '/api/v1/log/checkpoint',
  summary: 'The latest signed checkpoint of the audit log (C2SP tlog-checkpoint in a signed note, as text)',
  auth: 'none',
  produces: 'text',
  handle(node) {
    const latest = node.auditLog.latest();
    if (!latest) throw new LogError('log.out_of_range', 'the log has no checkpoint yet');
    return { body: latest.note };
  },
};

const entry: Route = {
  method: 'GET',
  path: '/api/v1/log/entries/:index',
  summary:
    'One audit log entry with its inclusion proof against the latest checkpoint, or against ?size= (entries about the caller; any, with personal details, for a security officer)',
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const index = parseCount('index', input.params.index);
    const asked = optionalCount(input, 'size');
    const { row, officer, size, note } = node.store.transaction((tx) => {
      const officer = tx.getOfficerCertificate(caller.user) !== null;
      const row = tx.logEntry(index);
      if (!row) throw new LogError('log.out_of_range', 'no entry has this index');
      if (!officer && subjectOf(decoded(row)) !== caller.user) throw new RequestError('request.forbidden', 'this entry is not about you');
      if (asked !== null) return { row, officer, size: asked, note: tx.checkpointAt(asked)?.note ?? null };
      const latest = tx.latestCheckpoint();
      return { row, officer, size: latest?.size ?? 0, note: latest?.note ?? null };
    });
    const proof = node.auditLog.inclusionProof(index, size);
    return { body: { ...entryJson(row, officer), size, proof: proof.map(b64), checkpoint: note } };
  },
};

const entries: Route = {
  method: 'GET',
  path: '/api/v1/log/entries',
  summary: `Audit log entries from ?from= on, at most ?count= (default 100, at most ${StoreLimits.logPageMax}), with personal details (security officers)`,
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const from = parseCount('from', input.query.get('from'));
    const count = Math.min(optionalCount(input, 'count') ?? 100, StoreLimits.logPageMax);
    return node.store.transaction((tx) => {
      requireOfficer(tx, caller);
      return { body: { size: tx.logSize(), entries: tx.logEntries(from, count).map((row) => entryJson(row, true)) } };
    });
  },
};

const consistency: Route = {
  method: 'GET',
  path: '/api/v1/log/consistency',
  summary: 'A consistency proof (RFC 9162 §2.1.4) that the log of ?from= entries is a prefix of the log of ?to= entries',
  auth: 'none',
  handle(node, input) {
    const from = parseCount('from', input.query.get('from'));
    const to = parseCount('to', input.query.get('to'));
    return { body: { from, to, proof: node.auditLog.consistencyProof(from, to).map(b64) } };
  },
};

export const logRoutes: readonly Route[] = [checkpoint, entries, entry, consistency];
