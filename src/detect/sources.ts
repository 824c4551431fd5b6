// Devices and networks as the detector sees them: a network is the address's /24 (IPv4) or /64 (IPv6), so a DHCP
// lease change is not a new network while a hotel or a foreign ISP is.
import type { DetectorSettings } from './config.ts';
import type { TraceEvent } from './trace.ts';
import type { Sources, UserState } from './user-state.ts';

export function networkOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':', 4).join(':');
  const dot = ip.lastIndexOf('.');
  return dot < 0 ? ip : ip.slice(0, dot);
}

export interface SourceFacts {
  /** The device or the network is one the user took up recently, after they already had a history. */
  readonly newSource: boolean;
  readonly newDevice: boolean;
  readonly newNetwork: boolean;
  /** No read came from that new device or network before this one. */
  readonly firstRead: boolean;
}

const NEW = 1;
const FIRST_READ = 2;

/** NEW | FIRST_READ flags for one source: bits rather than a tuple, as this runs for every read. */
function judge(sources: Sources, name: string | undefined, at: number, hasHistory: boolean, span: number): number {
  if (name === undefined) return 0;
  const i = sources.find(name);
  if (i < 0) return hasHistory ? NEW | FIRST_READ : 0;
  if (!sources.judged[i]) return 0;
  return (at - sources.firstSeen[i]! < span ? NEW : 0) | (sources.reads[i] === 0 ? FIRST_READ : 0);
}

/** `net` is networkOf(event.ip), computed once by the detector for the rules and for learning. */
export function sourceFacts(event: TraceEvent, net: string | undefined, user: UserState, config: DetectorSettings): SourceFacts {
  const hasHistory = user.reads >= config.warmReads / 4;
  const device = judge(user.devices, event.device, event.at, hasHistory, config.newSourceSpan);
  const network = judge(user.networks, net, event.at, hasHistory, config.newSourceSpan);
  const newDevice = (device & NEW) !== 0;
  const newNetwork = (network & NEW) !== 0;
  return { newSource: newDevice || newNetwork, newDevice, newNetwork, firstRead: ((device | network) & FIRST_READ) !== 0 };
}
