// A session from a device key file (the CLI's devices): the keys read from the passphrase-protected file, the pinned
// root, log key and last checkpoints from the `<keyfile>.json` configuration beside it. Node only (file system);
// the browser opens its sessions from IndexedDB (web/src/device/).
import type { CryptoProvider } from '../crypto/provider.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { parseNote } from '../log/note.ts';
import { utf8 } from '../bytes.ts';
import { MAX_PEERS, readClientConfig, writeClientConfig, type ClientConfig } from './config.ts';
import { deviceKeysFromMaterial, wipeDeviceKeys, type DeviceKeys } from './device-keys.ts';
import { readKeyFile } from './key-file.ts';
import type { LogMemory, NodeLog } from './log-view.ts';
import { openSession, transportOf, type Session, type Transport } from './session.ts';

/** Options of `openSessionFromKeyFile`; `url` overrides the configured one (a node that moved, a test port). */
export interface KeyFileSessionOptions extends Transport {
  readonly keyFile: string;
  readonly passphrase: string;
  readonly url?: string;
}

function sizeOf(note: string): number {
  return parseCheckpoint(parseNote(utf8(note)).text).size;
}

/**
 * Where a key file's session keeps one log's last checkpoint (`read` and `write` pick it in the configuration):
 * `<keyfile>.json`, re-read before each write so that two sessions of one device never move the saved checkpoint
 * back (the larger is kept; the next session verifies it anyway).
 */
function configMemory(keyFile: string, config: ClientConfig, read: (c: ClientConfig) => string | undefined, write: (c: ClientConfig, note: string) => ClientConfig): LogMemory {
  const last = read(config);
  return {
    ...(last === undefined ? {} : { lastCheckpoint: last }),
    async save(note: string) {
      const current = await readClientConfig(keyFile);
      const saved = read(current);
      if (saved !== undefined && sizeOf(saved) > sizeOf(note)) return;
      await writeClientConfig(keyFile, write(current, note));
    },
  };
}

/** The configuration's peer checkpoints with `log`'s replaced (moved last), the oldest dropped beyond MAX_PEERS. */
function withPeerCheckpoint(c: ClientConfig, log: NodeLog, note: string): Record<string, string> {
  const others = Object.entries(c.peerCheckpoints ?? {}).filter(([k]) => k !== log.fingerprint);
  return Object.fromEntries([...others.slice(Math.max(0, others.length - (MAX_PEERS - 1))), [log.fingerprint, note]]);
}

/**
 * Opens a session from a device key file and the `<keyfile>.json` configuration beside it. A configuration without
 * a log key pin (made before the audit log) gets the key the root certified pinned now.
 */
export async function openSessionFromKeyFile(p: CryptoProvider, options: KeyFileSessionOptions): Promise<Session> {
  const config = await readClientConfig(options.keyFile);
  const material = await readKeyFile(options.keyFile, options.passphrase);
  let keys: DeviceKeys | undefined;
  try {
    keys = await deviceKeysFromMaterial(p, material);
    const session = await openSession(p, keys, {
      url: options.url ?? config.url,
      rootFingerprint: config.rootFingerprint,
      ...(config.logKeyFingerprint === undefined ? {} : { logKeyFingerprint: config.logKeyFingerprint }),
      logMemory: configMemory(options.keyFile, config, (c) => c.lastCheckpoint, (c, note) => ({ ...c, lastCheckpoint: note })),
      peerLogMemory: (log) => configMemory(options.keyFile, config, (c) => c.peerCheckpoints?.[log.fingerprint], (c, note) => ({ ...c, peerCheckpoints: withPeerCheckpoint(c, log, note) })),
      ...transportOf(options),
    });
    if (config.logKeyFingerprint === undefined) {
      try {
        await writeClientConfig(options.keyFile, { ...(await readClientConfig(options.keyFile)), logKeyFingerprint: session.node.log.fingerprint });
      } catch (error) {
        session.close();
        throw error;
      }
    }
    return session;
  } finally {
    wipeDeviceKeys(material);
    if (keys) wipeDeviceKeys(keys);
  }
}
