// `chancery node init`, `serve`, `demo` and `start`: setting up and running a node. Each maps its flags to one
// library call and prints the outcome.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { parseDeviceId, parseNodeName, parseUserId } from '../cable/ids.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import { setUpNode } from '../client/bootstrap.ts';
import { buildDemoNetwork, EEAS_DEMO, type DemoResult } from '../demo/network.ts';
import { startWebDemo } from '../demo/web-demo.ts';
import { certifyLogKey } from '../node/certify-log-key.ts';
import { keeperPath } from '../node/keeper/files.ts';
import { runKeeper } from '../node/keeper/server.ts';
import { parseWebhookUrl } from '../node/detection/webhook.ts';
import { nodePath } from '../node/node-files.ts';
import { startNode, type RunningNode } from '../node/serve.ts';
import { DEFAULT_SHARE_RATE, parseShareRate, type ShareRate } from '../node/share-rate.ts';
import { federatedDemo } from './federation-commands.ts';
import { examples, parsePort, parsePositive, print, readPassphrase, table } from './io.ts';

interface InitFlags {
  data: string; root: string; org: string; node: string; url: string;
  officer: string; officerName: string; officerNationality: string; officerDevice: string; officerKey: string;
  passphraseFile?: string; rootPassphraseFile?: string; json?: boolean;
}

async function nodeInit(f: InitFlags): Promise<void> {
  const result = await setUpNode(nodeProvider, {
    dataDir: f.data,
    rootDir: f.root,
    org: f.org,
    node: parseNodeName(f.node),
    url: f.url,
    rootPassphrase: readPassphrase(f.rootPassphraseFile, 'CHANCERY_ROOT_PASSPHRASE', 'the organisation root'),
    officer: {
      id: parseUserId(f.officer),
      name: f.officerName,
      nationality: f.officerNationality,
      device: parseDeviceId(f.officerDevice),
      keyFile: f.officerKey,
      passphrase: readPassphrase(f.passphraseFile, 'CHANCERY_PASSPHRASE', "the officer's device key"),
    },
  });
  print(f, result, (r) =>
    [
      `Node ${r.node} initialised in ${f.data}.`,
      `Organisation root fingerprint (give it to every enrolling device, out of band):\n  ${r.rootFingerprint}`,
      `Root key: ${r.rootKeyFile} — move it offline; it is needed only to appoint officers.`,
      `Security officer ${f.officer}: key ${r.officerKeyFile}, config ${r.officerConfigFile}`,
      `Next: chancery serve --data ${f.data} --port 8080`,
    ].join('\n'),
  );
}

/** Serves a node until SIGINT or SIGTERM; logs (pino JSON lines) go to stdout, the URL also to stderr. */
function parseWebhookOption(value: string): string {
  try {
    return parseWebhookUrl(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : 'not a webhook URL');
  }
}

/** What `serve` takes beyond where to listen: detection and its webhook (docs/detection.md "In the node"). */
interface DetectionFlags {
  readonly detect?: boolean;
  readonly alertWebhook?: string;
  /** The longest wait between pushes to a peer that is down (docs/federation.md "Retries"). */
  readonly peerRetryCapMs?: number;
}

async function serveUntilStopped(dataDir: string, host: string, port: number, url?: string, shareRate?: ShareRate, keeper?: string, detection: DetectionFlags = {}): Promise<RunningNode> {
  const node = await startNode(nodeProvider, {
    dataDir,
    host,
    port,
    ...(url ? { url } : {}),
    ...(shareRate ? { shareRate } : {}),
    ...(keeper ? { keeper } : {}),
    ...(detection.detect === false ? { detect: false } : {}),
    ...(detection.alertWebhook ? { alertWebhook: detection.alertWebhook } : {}),
    ...(detection.peerRetryCapMs ? { peerRetryCapMs: detection.peerRetryCapMs } : {}),
  });
  process.stderr.write(`Chancery node ${node.context.identity.node} listening at ${node.url} (Ctrl-C to stop)\n`);
  const stop = () => {
    // Idle keep-alive connections can hold a graceful close open; a stop request should not wait on them for long.
    setTimeout(() => process.exit(0), 2000).unref();
    void node.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return node;
}

/** A socket file mode in octal (0600, 660). */
function parseSocketMode(value: string): number {
  if (!/^0?[0-7]{3}$/.test(value)) throw new InvalidArgumentError('expected an octal file mode such as 0660');
  return Number.parseInt(value, 8);
}

/** Runs a node's keeper on its own until SIGINT or SIGTERM; logs (pino JSON lines) go to stdout. */
async function keeper(f: { data: string; socket?: string; socketMode: number }): Promise<void> {
  const socketPath = f.socket ?? keeperPath(f.data, 'socket');
  const running = await runKeeper(nodeProvider, f.data, { socketPath, mode: f.socketMode, log: pino({ level: process.env.CHANCERY_LOG_LEVEL ?? 'info' }) });
  process.stderr.write(`Chancery keeper of ${running.keeper.hello.node} answering on ${socketPath} (Ctrl-C to stop)\n`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printDemo(r: DemoResult): string {
  const everywhere = (offices: readonly string[]) => offices.length === r.offices.length;
  const rows = r.people.map((p) => [p.id, p.clearance, p.title, everywhere(p.offices) ? '(every office)' : p.offices.join(' ')]);
  return [
    `Demo network ready in ${r.dataDir} (${r.seconds.toFixed(1)} s): node ${r.node}, ${r.offices.length} offices, ${r.people.length} people, ${r.cables.length} cables sent.`,
    `Organisation root fingerprint: ${r.rootFingerprint}`,
    '',
    table(['USER', 'CLEARANCE', 'ROLE', 'OFFICES'], rows),
    '',
    `Key files: ${r.dataDir}/keys/<user>.key — DEMO ONLY: passphrase in ${r.passphraseFile}, weak scrypt cost.`,
    `Serve it: chancery serve --data ${r.dataDir} --port ${new URL(r.url).port || 80}`,
  ].join('\n');
}

async function demo(f: { data: string; url: string; json?: boolean }): Promise<DemoResult> {
  const onProgress = f.json ? undefined : (line: string) => process.stderr.write(`… ${line}\n`);
  const result = await buildDemoNetwork(nodeProvider, { dataDir: f.data, url: f.url, ...(onProgress ? { onProgress } : {}) });
  print(f, result, printDemo);
  return result;
}

function parseDemoNodes(value: string): number {
  if (value !== '1' && value !== '3') throw new InvalidArgumentError('the demo has 1 node or 3');
  return Number(value);
}

/** 8080 if it is free, else whatever port the system hands out. */
function choosePort(preferred: number): Promise<number> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer().listen(0, '127.0.0.1', () => {
        const port = (any.address() as { port: number }).port; // listening on TCP: address() is an AddressInfo
        any.close(() => resolvePort(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolvePort(preferred)));
  });
}

async function start(): Promise<void> {
  const dataDir = resolve('data');
  const port = await choosePort(8080);
  // localhost, not 127.0.0.1: WebAuthn needs a host name for its relying party (an IP address cannot be one).
  const url = `http://localhost:${port}`;
  if (existsSync(nodePath(dataDir, 'description'))) process.stderr.write(`Using the existing demo network in ${dataDir} (delete it for a fresh one).\n`);
  else await demo({ data: dataDir, url });
  const running = await serveUntilStopped(dataDir, '127.0.0.1', port, url);
  const web = await startWebDemo(nodeProvider, { dataDir, url: running.url, officer: EEAS_DEMO.officers[0]!.id, say: (line) => process.stderr.write(`${line}\n`) }).catch((error: unknown) => {
    process.stderr.write(`The web app's demo enrollment codes could not be issued: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  });
  const node = port === 8080 ? '' : ` --node ${url}`;
  const codes = (web?.codes ?? []).map((c) => `  ${c.user.padEnd(18)} ${c.code}`);
  process.stderr.write(
    [
      '',
      `Open ${running.url}/ in Chromium, Chrome, Edge or Safari and enroll this browser as a demo person with a passkey,`,
      'using their one-time code (valid 24 h; DEMO ONLY: the demo approves the browser device at once):',
      ...codes,
      '  e.g. joao.almeida (releasing officer, Americas), sofia.ricci (desk officer), ines.moreau (security officer).',
      '',
      `Or try the CLI against it (another terminal), as Head of the Americas Department João Almeida:`,
      `  export CHANCERY_PASSPHRASE=demo   # demo only`,
      `  npx chancery inbox --key data/keys/joao.almeida.key${node}`,
      `  npx chancery cable read EEAS.DEL.WASHINGTON/${new Date().getUTCFullYear()}/000001 --key data/keys/joao.almeida.key${node}`,
      `  npx chancery inbox --key data/keys/jan.devries.key${node}    # a LIMITED assistant sees less`,
      'README.md walks through drafting, releasing and sending.',
      '',
    ].join('\n'),
  );
}

export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('set up a node');
  examples(
    node
      .command('init')
      .description('create the organisation root, the node keys and the first security officer')
      .requiredOption('--data <dir>', "the node's data directory")
      .requiredOption('--root <dir>', 'where the organisation root key goes (keep it offline)')
      .requiredOption('--org <org>', 'organisation code, e.g. EEAS or MFA.CY')
      .requiredOption('--node <name>', 'node name, e.g. EEAS')
      .requiredOption('--url <url>', "the node's public URL")
      .requiredOption('--officer <id>', "first security officer's user id")
      .requiredOption('--officer-name <name>', "the officer's name")
      .requiredOption('--officer-nationality <cc>', 'ISO 3166 alpha-2')
      .requiredOption('--officer-device <id>', "the officer's device id")
      .requiredOption('--officer-key <file>', "where to write the officer's device key file")
      .option('--passphrase-file <file>', "officer key passphrase (or CHANCERY_PASSPHRASE)")
      .option('--root-passphrase-file <file>', 'root key passphrase (or CHANCERY_ROOT_PASSPHRASE)')
      .option('--json', 'print the result as JSON')
      .action(nodeInit),
    ['chancery node init --data /srv/chancery --root /media/offline --org EEAS --node EEAS --url https://cables.example.eu \\', '  --officer ines.moreau --officer-name "Inès Moreau" --officer-nationality FR --officer-device d-ines-1 --officer-key ~/.chancery/ines.key'],
  );
  examples(
    node
      .command('certify-log-key')
      .description("have the organisation root certify the audit log key in the node certificate (a data directory from before root-certified log keys; restart the node after)")
      .requiredOption('--data <dir>', "the node's data directory")
      .requiredOption('--root-key <file>', 'the organisation root key file')
      .option('--root-passphrase-file <file>', 'root key passphrase (or CHANCERY_ROOT_PASSPHRASE)')
      .option('--json', 'print the result as JSON')
      .action(async (f: { data: string; rootKey: string; rootPassphraseFile?: string; json?: boolean }) => {
        const rootPassphrase = readPassphrase(f.rootPassphraseFile, 'CHANCERY_ROOT_PASSPHRASE', 'the organisation root');
        print(f, await certifyLogKey(nodeProvider, { dataDir: f.data, rootKeyFile: f.rootKey, rootPassphrase }), (r) =>
          r.changed ? `Node ${r.node}: certificate ${r.serial} now certifies its audit log key; restart the node to serve it.` : `Node ${r.node}: certificate ${r.serial} already certifies its audit log key.`);
      }),
    ['chancery node certify-log-key --data /srv/chancery --root-key /media/offline/EEAS.root.key'],
  );
  examples(
    node
      .command('keeper')
      .description("run the node's keeper on its own (the release and log keys), for `chancery serve --keeper` (docs/node.md \"Deployment\")")
      .requiredOption('--data <dir>', "the node's data directory")
      .option('--socket <path>', 'where to answer (default DATA/keeper.sock)')
      .option('--socket-mode <mode>', 'file mode of the socket: 0660 when serve runs as another user of a shared group', parseSocketMode, 0o600)
      .action(keeper),
    ['chancery node keeper --data /srv/chancery --socket /run/chancery/keeper.sock --socket-mode 0660'],
  );
  examples(
    program
      .command('serve')
      .description('run a node (logs as JSON lines on stdout)')
      .requiredOption('--data <dir>', "the node's data directory")
      .option('--port <n>', 'port (0: any free one)', parsePort, 8080)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--url <url>', 'public URL clients sign requests for (default http://host:port)')
      .option('--shares-per-minute <n>', 'release shares one user may be handed in any minute', parsePositive, DEFAULT_SHARE_RATE.perMinute)
      .option('--shares-per-hour <n>', 'release shares one user may be handed in any hour', parsePositive, DEFAULT_SHARE_RATE.perHour)
      .option('--keeper <socket>', 'use the keeper answering there (`chancery node keeper`) instead of starting one')
      .option('--no-detect', 'do not run the detector over the audit log (no alerts, no automatic freezes)')
      .option('--alert-webhook <url>', "POST each alert's JSON line to this URL (a SOC collector)", parseWebhookOption)
      .option('--peer-retry-cap <ms>', 'longest wait between pushes to a peer that is down (drills and tests; default 180000)', parsePositive)
      .action(async (f: { data: string; port: number; host: string; url?: string; sharesPerMinute: number; sharesPerHour: number; keeper?: string; detect: boolean; alertWebhook?: string; peerRetryCap?: number }) => {
        const detection = { detect: f.detect, ...(f.alertWebhook ? { alertWebhook: f.alertWebhook } : {}), ...(f.peerRetryCap ? { peerRetryCapMs: f.peerRetryCap } : {}) };
        await serveUntilStopped(f.data, f.host, f.port, f.url, parseShareRate(f.sharesPerMinute, f.sharesPerHour), f.keeper, detection);
      }),
    [
      'chancery serve --data ./data --port 8080',
      'chancery serve --data ./data --shares-per-minute 10 --shares-per-hour 60',
      'chancery serve --data /srv/chancery --keeper /run/chancery/keeper.sock',
      'chancery serve --data ./data --alert-webhook https://soc.example.org/chancery',
    ],
  );
  examples(
    program
      .command('demo')
      .description('build a realistic demo network (node, offices, people, keys, thirty cables) in a fresh directory; --nodes 3: three peered nodes, built once and served')
      .requiredOption('--data <dir>', 'a directory that holds no node yet (--nodes 3: one directory per node under it)')
      .option('--url <url>', 'the URL the node will be served at', 'http://127.0.0.1:8080')
      .option('--nodes <n>', '1, or 3: EEAS, MFA.CY and MFA.FR, each its own organisation, peered both ways, with cables between them', parseDemoNodes, 1)
      .option('--port <n>', 'with --nodes 3: the first port (then the next two, or free ones)', parsePort, 8080)
      .option('--json', 'print the result as JSON')
      .action(async (f: { data: string; url: string; nodes: number; port: number; json?: boolean }) => {
        if (f.nodes === 3) await federatedDemo(f);
        else await demo(f);
      }),
    ['chancery demo --data ./data && chancery serve --data ./data --port 8080', 'chancery demo --nodes 3 --data ./federation'],
  );
  program
    .command('start')
    .description('what `npm start` runs: the demo network in ./data (once), then serve it on 8080 or a free port')
    .action(start);
}
