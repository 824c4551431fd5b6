// The keeper's own files in a node's data directory (docs/node.md "Processes and files"): its socket, where the
// web-facing process asks it for checkpoints and shares, and its record of the last checkpoint it signed.
import { join } from 'node:path';
import { FileError } from '../../errors.ts';

export const KeeperFiles = {
  socket: 'keeper.sock',
  signedHead: 'keeper-head.json',
} as const;

/** Longest Unix socket path Linux takes (sun_path is 108 bytes with its terminating NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

export function keeperPath(dataDir: string, file: keyof typeof KeeperFiles): string {
  return join(dataDir, KeeperFiles[file]);
}

/** Refuses a socket path the kernel would cut short, with a message that says what to do. */
export function checkSocketPath(path: string): string {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new FileError('file.malformed', `keeper socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes: give a shorter one (--keeper)`);
  }
  return path;
}
