// `chancery outbox` and `chancery cable status ID`: where cables stand between nodes (docs/federation.md "Status").
import { InvalidArgumentError, type Command } from 'commander';
import { parseCableId } from '../cable/ids.ts';
import type { CableId } from '../cable/types.ts';
import { getCableStatus, getOutbox, type CableStatus, type OfficeDelivery, type PeerQueue } from '../client/federation-status.ts';
import { deviceCommand, examples, print, table, withSession, type DeviceOptions } from './io.ts';

function parseCable(value: string): CableId {
  try {
    return parseCableId(value);
  } catch {
    throw new InvalidArgumentError('expected a cable id (MFA.CY.AMERICAS/2026/000123)');
  }
}

/** How long ago `at` was, roughly (45 s, 12 min, 3 h, 9 d). */
export function age(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

const time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const renderOutbox = (peers: readonly PeerQueue[]) =>
  peers.length === 0
    ? 'no peers, nothing queued'
    : table(
        ['PEER', 'PENDING', 'OLDEST PENDING', 'DELIVERED', 'CONFLICTS', 'LAST ERROR'],
        peers.map((q) => [
          q.peer,
          String(q.pending),
          q.oldestPendingAt === null ? '' : `${age(q.oldestPendingAt)} ago`,
          String(q.delivered),
          String(q.conflicts),
          q.lastError === null ? '' : `${q.lastErrorAt === null ? '' : `${age(q.lastErrorAt)} ago: `}${q.lastError}`,
        ]),
      );

function stateOf(d: OfficeDelivery): string {
  if (d.state === 'delivered') return d.at === null ? 'delivered' : `delivered at ${time(d.at)}`;
  if (d.state === 'conflict') return `CONFLICT: the peer holds another cable under this id${d.lastError ? ` (${d.lastError})` : ''}`;
  const since = d.at === null ? '' : ` since ${time(d.at)} (${age(d.at)})`;
  const tries = d.attempts === null ? '' : `, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  return `pending${since}${tries}${d.lastError ? `, last error: ${d.lastError}` : ''}`;
}

const renderStatus = (st: CableStatus) => [`cable ${st.cable}`, table(['OFFICE', 'NODE', 'STATE'], st.offices.map((d) => [d.office, d.node, stateOf(d)]))].join('\n');

export function registerFederationCommands(program: Command): void {
  examples(
    deviceCommand(program, 'outbox', "cables queued for peer nodes: per peer, queue depth, oldest pending, delivered, conflicts, last error (security officers)")
      .action((f: DeviceOptions) => withSession(f, async (s) => print(f, await getOutbox(s), renderOutbox))),
    ['chancery outbox --key ines.key', 'chancery outbox --key ines.key --json'],
  );
  // `cable` is registered by cable-commands.ts; status joins it there.
  const cable = program.commands.find((c) => c.name() === 'cable') ?? program.command('cable');
  examples(
    deviceCommand(cable, 'status', 'where a cable stands at each addressed office: delivered (when), pending (since when, attempts, last error) or conflict')
      .argument('<id>', 'the cable id', parseCable)
      .action((id: CableId, f: DeviceOptions) => withSession(f, async (s) => print(f, await getCableStatus(s, id), renderStatus))),
    ['chancery cable status EEAS.DEL.WASHINGTON/2026/000001 --key ines.key'],
  );
}
