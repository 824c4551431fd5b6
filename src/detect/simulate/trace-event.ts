// One simulated trace event and its line, in the exact key order of issue 7's trace format (docs/detection.md).
import { isoSeconds } from './calendar.ts';
import type { CableView } from './world.ts';

export type TraceKind = 'read' | 'login' | 'search' | 'device_enrolled';

export interface SimEvent {
  /** Seconds since the epoch. */
  readonly t: number;
  readonly kind: TraceKind;
  readonly user: string;
  readonly device: string;
  readonly ip: string;
  /** Only on reads: the cable, and the addressee office it was opened through (the reader's). */
  readonly cable?: CableView;
  readonly office?: string;
  /** Only on reads: whole days since the cable was originated. */
  readonly ageDays?: number;
}

/**
 * The event as one JSON line, without the newline. Keys go in in the format's order, which JSON.stringify keeps.
 *
 * @example
 * traceLine({ t: 1772443447, kind: 'login', user: 'u-0042', device: 'd-0042-1', ip: '10.20.1.7' });
 * // {"t":"2026-03-02T09:24:07Z","kind":"login","user":"u-0042","device":"d-0042-1","ip":"10.20.1.7"}
 */
export function traceLine(e: SimEvent): string {
  const c = e.cable;
  if (e.kind !== 'read' || c === undefined) return JSON.stringify({ t: isoSeconds(e.t), kind: e.kind, user: e.user, device: e.device, ip: e.ip });
  return JSON.stringify({
    t: isoSeconds(e.t),
    kind: e.kind,
    user: e.user,
    device: e.device,
    ip: e.ip,
    cable: c.id,
    office: e.office ?? c.office,
    level: c.level,
    tags: c.tags,
    age_days: e.ageDays ?? 0,
    canary: c.canary,
  });
}
