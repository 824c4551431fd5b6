// DEMO ONLY: what `npm start` adds so the web app can be tried at once. Every demo person gets a one-time
// enrollment code, printed on the console; and a demo approver, holding the demo officer's key file, approves any
// browser device a demo person enrolls and has that person's demo CLI device re-seal its office keys to it — the
// two steps a security officer and the person's own device do by hand in a real deployment (the officer compares the
// device fingerprint first; this approver does not). Nothing here runs outside the demo network.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceId, UserId } from '../cable/types.ts';
import { isUserId } from '../cable/ids.ts';
import { approveDevice } from '../client/admin.ts';
import { issueEnrollmentCode, type EnrollmentCode } from '../client/enrollment-codes.ts';
import { resealGrants } from '../client/key-admin.ts';
import { openSessionFromKeyFile } from '../client/key-file-session.ts';
import type { Session } from '../client/session.ts';
import type { CryptoProvider } from '../crypto/provider.ts';

/** How often the demo approver looks for new browser devices. */
const POLL_MS = 2000;

export interface WebDemo {
  readonly codes: readonly EnrollmentCode[];
  stop(): void;
}

interface DeviceLine {
  readonly device: string;
  readonly status: string;
}

/** The demo people: every key file in `<data>/keys`, and the passphrase they all share (DEMO ONLY). */
async function demoPeople(dataDir: string): Promise<{ people: UserId[]; passphrase: string }> {
  const keys = join(dataDir, 'keys');
  const passphrase = (await readFile(join(keys, 'PASSPHRASE.txt'), 'utf8')).split('\n')[0] ?? '';
  const people = (await readdir(keys)).filter((f) => f.endsWith('.key')).map((f) => f.slice(0, -4)).filter(isUserId).sort();
  return { people, passphrase };
}

/**
 * Issues a code for each demo person and starts the demo approver (see the file comment). `officer` is the demo's
 * security officer; `say` receives one line per device approved or failure.
 */
export async function startWebDemo(p: CryptoProvider, options: { dataDir: string; url: string; officer: UserId; say: (line: string) => void }): Promise<WebDemo> {
  const { people, passphrase } = await demoPeople(options.dataDir);
  const sessions = new Map<UserId, Session>();
  const sessionOf = async (user: UserId): Promise<Session> => {
    let s = sessions.get(user);
    if (!s) {
      s = await openSessionFromKeyFile(p, { keyFile: join(options.dataDir, 'keys', `${user}.key`), passphrase, url: options.url });
      sessions.set(user, s);
    }
    return s;
  };
  const officer = await sessionOf(options.officer);
  const codes: EnrollmentCode[] = [];
  for (const user of people) codes.push(await issueEnrollmentCode(officer, user));

  const handled = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    for (const user of people) {
      const listed = (await officer.http.get(`/api/v1/devices/${user}`)) as { devices?: DeviceLine[] };
      for (const d of listed.devices ?? []) {
        const key = `${user}/${d.device}`;
        if (d.status !== 'pending' || !d.device.startsWith('web-') || handled.has(key)) continue;
        handled.add(key);
        try {
          await approveDevice(officer, user, d.device as DeviceId);
          const epochs = await resealGrants(await sessionOf(user), d.device as DeviceId);
          options.say(`DEMO: approved ${user}'s browser device ${d.device} and re-sealed ${epochs.length} office key epochs to it (a real officer compares its fingerprint first)`);
        } catch (error) {
          options.say(`DEMO: could not approve ${key}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  };
  const loop = () => {
    timer = setTimeout(() => {
      sweep().catch((error: unknown) => options.say(`DEMO approver: ${error instanceof Error ? error.message : String(error)}`)).finally(() => {
        if (!stopped) loop();
      });
    }, POLL_MS);
    timer.unref();
  };
  loop();
  return {
    codes,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const s of sessions.values()) s.close();
    },
  };
}
