// Devices and networks as the detector sees them: a network is the address's /24 (IPv4) or /64 (IPv6), so a DHCP
// lease change is not a new network while a hotel or a foreign ISP is.
import type { DetectorSettings } from './config.ts';
import type { SourceRows } from './source-rows.ts';
import type { UserRows, UserState } from './user-state.ts';

export function networkOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':', 4).join(':');
  const dot = ip.lastIndexOf('.');
  return dot < 0 ? ip : ip.slice(0, dot);
}

/** Bits of sourceFlags(): the device, the network, is one the user took up recently after they had a history; no
 * read came from that new device or network before this one. Bits rather than an object, as this runs per read. */
export const NEW_DEVICE = 1;
export const NEW_NETWORK = 2;
export const FIRST_READ = 4;

/** What the detector found of a source in the user's row: its position, or one of these. */
export const ABSENT = -2;
export const UNKNOWN = -1;

const NEW = 1;
const FIRST = 2;

/** NEW | FIRST for one source, from its position in the user's row (or ABSENT, UNKNOWN). */
function judge(sources: SourceRows, row: number, found: number, at: number, hasHistory: boolean, span: number): number {
  if (found === ABSENT) return 0;
  if (found < 0) return hasHistory ? NEW | FIRST : 0;
  if (!sources.judged(row, found)) return 0;
  return (at - sources.firstSeen(row, found) < span ? NEW : 0) | (sources.reads(row, found) === 0 ? FIRST : 0);
}

/** NEW_DEVICE | NEW_NETWORK | FIRST_READ for a read at `at`. `device` and `network` are the event's device and network
 * (networkOf its ip) as found in the user's rows by the detector, once for the rules and for learning. */
export function sourceFlags(at: number, device: number, network: number, user: UserState, rows: UserRows, config: DetectorSettings): number {
  const hasHistory = user.reads >= config.warmReads / 4;
  const d = judge(rows.devices, user.row, device, at, hasHistory, config.newSourceSpan);
  const n = judge(rows.networks, user.row, network, at, hasHistory, config.newSourceSpan);
  return (d & NEW ? NEW_DEVICE : 0) | (n & NEW ? NEW_NETWORK : 0) | ((d | n) & FIRST ? FIRST_READ : 0);
}
