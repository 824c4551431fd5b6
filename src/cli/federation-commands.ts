// `chancery outbox` and `chancery cable status ID`: where cables stand between nodes (docs/federation.md "Status");
// and `chancery demo --nodes 3`'s printing and serving.
import { InvalidArgumentError, type Command } from 'commander';
import { parseCableId } from '../cable/ids.ts';
import type { CableId } from '../cable/types.ts';
import { getCableStatus, getOutbox, type CableStatus, type OfficeDelivery, type PeerQueue } from '../client/federation-status.ts';
import { resolve } from 'node:path';
import { nodeProvider } from '../crypto/node-provider.ts';
import { buildFederatedDemo, chooseDemoPorts, federatedDemoExists, federatedDemoPorts, serveFederatedDemo } from '../demo/federation-demo.ts';
import { FEDERATION_DEMO } from '../demo/federation-directory.ts';
import type { DemoResult } from '../demo/network.ts';
import type { RunningNode } from '../node/serve.ts';
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

/** What `chancery demo --nodes 3` takes. */
export interface FederatedDemoFlags {
  readonly data: string;
  readonly port: number;
  readonly json?: boolean;
}

function usage(nodes: readonly DemoResult[]): string {
  const lines = ['', 'Three nodes, peered both ways. Try the CLI against each (another terminal):', '  export CHANCERY_PASSPHRASE=demo   # demo only'];
  for (const n of nodes) {
    const officer = n.people[0]!;
    const reader = n.people.find((x) => !x.title.startsWith('Security officer')) ?? officer;
    lines.push(
      `  # ${n.node} at ${n.url}`,
      `  npx chancery inbox --key ${reader.keyFile}`,
      `  npx chancery peer list --key ${officer.keyFile}`,
      `  npx chancery outbox --key ${officer.keyFile}`,
    );
  }
  lines.push(`  npx chancery cable status <ID> --key <the drafter's key>`, `Serve them again later: chancery demo --nodes 3 --data <same dir> (or chancery serve --data <dir>/<NODE> --port <its port>, each).`, '');
  return lines.join('\n');
}

/** `chancery demo --nodes 3`: builds (once) and serves EEAS, MFA.CY and MFA.FR until SIGINT or SIGTERM. */
export async function federatedDemo(f: FederatedDemoFlags): Promise<void> {
  const root = resolve(f.data);
  const say = f.json ? () => undefined : (line: string) => process.stderr.write(`… ${line}\n`);
  let running: RunningNode[];
  if (federatedDemoExists(root)) {
    const ports = federatedDemoPorts(root);
    process.stderr.write(`Using the existing federated demo in ${root} (delete it for a fresh one).\n`);
    running = await serveFederatedDemo(nodeProvider, root, ports);
  } else {
    const ports = await chooseDemoPorts(f.port, FEDERATION_DEMO.length);
    const built = await buildFederatedDemo(nodeProvider, { dataRoot: root, ports, onProgress: say });
    running = built.running;
    print(f, built.demo, (d) =>
      [
        `Federated demo ready in ${root} (${d.seconds.toFixed(1)} s): ${d.nodes.map((n) => `${n.node} at ${n.url}`).join(', ')}.`,
        ...d.cables.map((c) => `  ${c.id}  ${c.subject}\n${c.status.offices.map((o) => `      ${o.office.padEnd(22)} ${o.node.padEnd(7)} ${o.state}`).join('\n')}`),
        `Key files: <dir>/<NODE>/keys/<user>.key — DEMO ONLY: passphrase "demo", weak scrypt cost.`,
        usage(d.nodes),
      ].join('\n'));
  }
  for (const n of running) process.stderr.write(`Chancery node ${n.context.identity.node} listening at ${n.url}\n`);
  process.stderr.write('(Ctrl-C to stop)\n');
  const stop = () => {
    setTimeout(() => process.exit(0), 2000).unref();
    void Promise.all(running.map((n) => n.close())).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
