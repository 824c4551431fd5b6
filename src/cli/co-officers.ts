// `--co-officer KEYFILE` (repeatable): the second and third officers some acts take (epochs, CONFIDENTIAL and above
// grants, appointments, a records office). Each named key file is opened as its own session for the act only.
import type { Command } from 'commander';
import { nodeProvider } from '../crypto/node-provider.ts';
import { openSessionFromKeyFile } from '../client/key-file-session.ts';
import type { Session } from '../client/session.ts';
import { collect, readPassphrase, type DeviceOptions } from './io.ts';

export interface CoOfficerFlags extends DeviceOptions {
  readonly coOfficer?: string[];
  readonly coOfficerPassphraseFile?: string;
}

/** Sessions of the co-signing officers named by --co-officer (their passphrase: --co-officer-passphrase-file, else the same). */
export async function coOfficers(f: CoOfficerFlags, run: (co: Session[]) => Promise<void>): Promise<void> {
  const files = f.coOfficer ?? [];
  if (files.length === 0) return run([]);
  const passphrase = f.coOfficerPassphraseFile || process.env.CHANCERY_CO_OFFICER_PASSPHRASE
    ? readPassphrase(f.coOfficerPassphraseFile, 'CHANCERY_CO_OFFICER_PASSPHRASE', 'the co-officer key')
    : readPassphrase(f.passphraseFile, 'CHANCERY_PASSPHRASE');
  const sessions: Session[] = [];
  try {
    for (const keyFile of files) sessions.push(await openSessionFromKeyFile(nodeProvider, { keyFile, passphrase, ...(f.node ? { url: f.node } : {}) }));
    await run(sessions);
  } finally {
    for (const s of sessions) s.close();
  }
}

export function withCoOfficers(c: Command): Command {
  return c
    .option('--co-officer <keyfile>', 'a second (third) officer co-signing: CONFIDENTIAL and above take two officers', collect)
    .option('--co-officer-passphrase-file <file>', "co-officers' passphrase (default: the same as --key's)");
}
