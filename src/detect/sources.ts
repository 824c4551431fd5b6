// Devices and networks as the detector sees them: a network is the address's /24 (IPv4) or /64 (IPv6), so a DHCP
// lease change is not a new network while a hotel or a foreign ISP is.
import type { DetectorSettings } from './config.ts';
import type { TraceEvent } from './trace.ts';
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

const NEW = 1;
const FIRST = 2;

/** NEW | FIRST for one source. */
function judge(sources: SourceRows, row: number, name: string | undefined, at: number, hasHistory: boolean, span: number): number {
  if (name === undefined) return 0;
  const found = sources.find(row, name);
  if (found < 0) return hasHistory ? NEW | FIRST : 0;
  if (!sources.judged(row, found)) return 0;
  return (at - sources.firstSeen(row, found) < span ? NEW : 0) | (sources.reads(row, found) === 0 ? FIRST : 0);
}

/** NEW_DEVICE | NEW_NETWORK | FIRST_READ for a read. `net` is networkOf(event.ip), computed once by the detector
 * for the rules and for learning. */
export function sourceFlags(event: TraceEvent, net: string | undefined, user: UserState, rows: UserRows, config: DetectorSettings): number {
  const hasHistory = user.reads >= config.warmReads / 4;
  const device = judge(rows.devices, user.row, event.device, event.at, hasHistory, config.newSourceSpan);
  const network = judge(rows.networks, user.row, net, event.at, hasHistory, config.newSourceSpan);
  return (device & NEW ? NEW_DEVICE : 0) | (network & NEW ? NEW_NETWORK : 0) | ((device | network) & FIRST ? FIRST_READ : 0);
}
