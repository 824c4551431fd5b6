// `chancery peer add | list | remove`: a security officer's device managing the nodes its node exchanges cables with
// (docs/federation.md "Peers"). Adding needs the offline organisation root: it signs the peer certificate.
import { InvalidArgumentError, type Command } from 'commander';
import { parseNodeName } from '../cable/ids.ts';
import type { NodeName } from '../cable/types.ts';
import { addPeer, DEFAULT_PEER_VALID_DAYS, listPeers, removePeer, type AddedPeer, type ListedPeer } from '../client/peers.ts';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { deviceCommand, examples, parsePositive, print, readPassphrase, table, withSession, type DeviceOptions } from './io.ts';

interface AddFlags extends DeviceOptions {
  readonly url: string;
  readonly fingerprint: string;
  readonly rootKey: string;
  readonly rootPassphraseFile?: string;
  readonly validDays: number;
}

function parseNode(value: string): NodeName {
  try {
    return parseNodeName(value);
  } catch {
    throw new InvalidArgumentError('expected a node name (MFA.CY)');
  }
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const renderAdded = (r: AddedPeer) =>
  [
    r.duplicate ? `peer ${r.node} (organisation ${r.org}) at ${r.url} was already added with these records` : `peer ${r.node} (organisation ${r.org}) added at ${r.url}, certified until ${day(r.validUntil)}`,
    `its organisation root: ${r.peerRootFingerprint}`,
    `The peer's officer must add this node too (chancery peer add on their side) before cables flow both ways.`,
  ].join('\n');

const renderList = (peers: readonly ListedPeer[]) =>
  peers.length === 0
    ? 'no peers'
    : table(['NODE', 'ORG', 'URL', 'ADDED', 'OFFICES'], peers.map((x) => [x.node, x.org, x.url, new Date(x.addedAt).toISOString().slice(0, 19), x.offices.join(' ')]));

export function registerPeerCommands(program: Command): void {
  const peer = program.command('peer').description('peer nodes this node exchanges cables with (security officers)');
  examples(
    deviceCommand(peer, 'add', "add a peer node: check its root against the fingerprint given out of band, sign a peer certificate with our root")
      .requiredOption('--url <url>', "the peer node's URL")
      .requiredOption('--fingerprint <hex>', "the peer organisation root's fingerprint, from its security officer")
      .requiredOption('--root-key <file>', 'our organisation root key file')
      .option('--root-passphrase-file <file>', 'root key passphrase (or CHANCERY_ROOT_PASSPHRASE)')
      .option('--valid-days <n>', 'validity of the peer certificate in days', parsePositive, DEFAULT_PEER_VALID_DAYS)
      .action((f: AddFlags) =>
        withSession(f, async (s) => {
          const root = await readRootKeyFile(f.rootKey, readPassphrase(f.rootPassphraseFile, 'CHANCERY_ROOT_PASSPHRASE', 'the organisation root'));
          try {
            print(f, await addPeer(s, root, { url: f.url, fingerprint: f.fingerprint, validDays: f.validDays }), renderAdded);
          } finally {
            wipeRootKey(root);
          }
        }),
      ),
    ['chancery peer add --key ines.key --url https://cables.mfa.gov.cy --fingerprint 3f9a… --root-key /media/offline/EEAS.root.key'],
  );
  examples(
    deviceCommand(peer, 'list', "this node's peers and the offices each hosts").action((f: DeviceOptions) =>
      withSession(f, async (s) => print(f, await listPeers(s), renderList)),
    ),
    ['chancery peer list --key ines.key'],
  );
  examples(
    deviceCommand(peer, 'remove', 'remove a peer: nothing new is queued for it (what is queued stays listed)')
      .argument('<node>', 'the peer node', parseNode)
      .action((node: NodeName, f: DeviceOptions) => withSession(f, async (s) => print(f, await removePeer(s, node), (r) => `peer ${r.node} removed`))),
    ['chancery peer remove MFA.CY --key ines.key'],
  );
}
