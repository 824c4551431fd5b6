// The bridge from the audit log to the detector (issue 7 "Trace line format"): a read (of a cable or of a draft),
// login, search or device enrollment entry as one JSON trace line, so the detector consumes the live log and
// `trace.jsonl` files alike.
import type { LogEntry } from './event-types.ts';
import { isNetworkAddress } from './personal-details.ts';

/**
 * Which log kinds become trace lines, and their trace `kind`. A draft's opening is a read for the detector: bulk
 * reading of drafts is reading all the same. Share releases, alerts and the rest stay in the log only: the trace
 * format of issue 7 has no kind for them.
 */
export const TraceKinds = {
  'cable.read': 'read',
  'draft.read': 'read',
  login: 'login',
  search: 'search',
  'device.enrolled': 'device_enrolled',
} as const;

/**
 * What a trace line needs that the leaf does not hold.
 * - `ip`: from the personal details beside the leaf (personal-details.ts); omit it once they are erased.
 * - `canary`: whether the cable read is a canary, known to the detector from the security officers' records and
 *   deliberately kept out of the leaf. Omit it when unknown: the line then has no `canary` field.
 */
export interface TraceExtras {
  readonly ip?: string;
  readonly canary?: boolean;
}

/** `at` as ISO 8601 UTC to the second, as the trace's `t`: the milliseconds are dropped, not rounded. */
function traceTime(at: number): string {
  return new Date(at - (at % 1000)).toISOString().replace('.000Z', 'Z');
}

/**
 * The entry as one trace line (JSON without the final newline), or `undefined` for a kind the trace does not carry.
 * Keys come in the order of issue 7's example; a field the kind does not have, or that is unknown, is absent.
 *
 * @example
 * ```ts
 * toTraceLine(readEntry, { ip: '10.20.1.7', canary: false });
 * // {"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-0042","device":"d-0042-1","ip":"10.20.1.7",
 * //  "cable":"EEAS.DEL.WASHINGTON/2026/000123","office":"MFA.CY.AMERICAS","level":"LIMITED",
 * //  "tags":["PREL","US"],"age_days":3,"canary":false}
 * ```
 */
export function toTraceLine(entry: LogEntry, extras: TraceExtras = {}): string | undefined {
  if (extras.ip !== undefined && !isNetworkAddress(extras.ip)) throw new RangeError('toTraceLine: ip is not a network address');
  switch (entry.kind) {
    case 'cable.read':
    case 'draft.read':
    case 'login':
    case 'search':
    case 'device.enrolled':
      break;
    default:
      return undefined;
  }
  const line: Record<string, unknown> = { t: traceTime(entry.at), kind: TraceKinds[entry.kind], user: entry.user, device: entry.device };
  if (extras.ip !== undefined) line.ip = extras.ip;
  if (entry.kind === 'cable.read') {
    line.cable = entry.cable;
    line.office = entry.office;
    line.level = entry.level;
    line.tags = entry.tags;
    if (entry.ageDays !== undefined) line.age_days = entry.ageDays;
    if (extras.canary !== undefined) line.canary = extras.canary;
  } else if (entry.kind === 'draft.read') {
    // The draft's tags and DTG are sealed with it: unknown, so absent. A draft is no canary (canaries are cables).
    line.cable = entry.cable;
    line.office = entry.office;
    line.level = entry.level;
  }
  return JSON.stringify(line);
}
