// The ghost-device and ghost-member defence on the client (issue 4; DESIGN.md "Keys, trust and the ghost-device
// defence"): a device watches its own user's devices and the rosters and key epochs of its user's offices, and
// warns at once of anything it did not expect. A device record the node cannot show on the audit log is a ghost
// whatever else is true of it; a logged device, member or epoch this device has not seen before is news the user
// must confirm ("was this you?"). What it has seen is kept in the client configuration (`watch`), so each change is
// reported once, and the first check only records what is there.
import type { DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { readClientConfig, writeClientConfig, type KnownKeys } from './config.ts';
import { getUser, listMembers } from './directory.ts';
import { listDevices, officeEpochs } from './key-directory.ts';
import type { Session } from './session.ts';

export type KeyWarningKind = 'ghost_device' | 'ghost_epoch' | 'new_device' | 'new_member' | 'new_epoch';

/** One thing the user did not expect; `severity` high for a ghost (refused by every sender), notice otherwise. */
export interface KeyWarning {
  readonly kind: KeyWarningKind;
  readonly severity: 'high' | 'notice';
  readonly message: string;
  readonly user?: UserId;
  readonly device?: DeviceId;
  readonly office?: OfficeCode;
}

export interface KeyWatchResult {
  readonly warnings: readonly KeyWarning[];
  /** What this device knows now (its devices, each office's members and epochs); saved by `watchKeys`. */
  readonly known: KnownKeys;
  /** True when there was nothing known before: this check recorded a baseline and reported only ghosts. */
  readonly baseline: boolean;
}

/**
 * Compares the node's current view of this user's devices and offices with `known` (what this device saw before).
 *
 * @example
 * ```ts
 * const { warnings } = await checkKeys(session, config.watch);
 * ```
 */
export async function checkKeys(s: Session, known: KnownKeys | undefined): Promise<KeyWatchResult> {
  const warnings: KeyWarning[] = [];
  const before = known ?? { devices: [], members: {}, epochs: {} };
  const baseline = known === undefined;
  const me = s.keys.user;

  const devices: string[] = [];
  for (const d of await listDevices(s, me)) {
    if (d.status !== 'approved' || !d.record) continue;
    if (!d.onLog) {
      warnings.push({
        kind: 'ghost_device', severity: 'high', user: me, device: d.device,
        message: `GHOST DEVICE: ${me}/${d.device} is approved at the node but not on the audit log. Nobody will trust it; tell a security officer now.`,
      });
      continue;
    }
    devices.push(d.device);
    if (!baseline && !before.devices.includes(d.device) && d.device !== s.keys.device) {
      const a = d.record.approval;
      const by = a.kind === 'device' ? `your device ${a.device}` : `officer ${a.officer}${a.device === undefined ? '' : ` (from their device ${a.device})`}`;
      warnings.push({
        kind: 'new_device', severity: 'notice', user: me, device: d.device,
        message: `A new device ${d.device} was approved for you by ${by}. If this was not you, revoke it (chancery device revoke ${me} ${d.device}) and tell a security officer.`,
      });
    }
  }

  const members: Record<string, string[]> = {};
  const epochs: Record<string, string[]> = {};
  const offices = [...new Set((await getUser(s, me)).memberships.map((m) => m.office))].sort();
  for (const office of offices) {
    const roster = [...new Set((await listMembers(s, office)).map((m) => m.user))].sort();
    members[office] = roster;
    const seenRoster = before.members[office];
    for (const user of roster) {
      if (baseline || seenRoster === undefined || seenRoster.includes(user) || user === me) continue;
      warnings.push({
        kind: 'new_member', severity: 'notice', user, office,
        message: `${user} joined ${office}. If you did not expect them, tell a security officer (a ghost member would read the office's cables).`,
      });
    }
    const listed = await officeEpochs(s, office);
    for (const e of listed.filter((x) => !x.onLog)) {
      const name = `${e.verified.epoch.level}#${e.verified.epoch.epoch}`;
      warnings.push({
        kind: 'ghost_epoch', severity: 'high', office,
        message: `GHOST EPOCH: ${office} key epoch ${name} is at the node but not on the audit log. Nobody will seal to it; tell a security officer now.`,
      });
    }
    const open = listed.filter((e) => e.onLog).map((e) => `${e.verified.epoch.level}#${e.verified.epoch.epoch}`).sort();
    epochs[office] = open;
    const seenEpochs = before.epochs[office];
    for (const epoch of open) {
      if (baseline || seenEpochs === undefined || seenEpochs.includes(epoch)) continue;
      warnings.push({ kind: 'new_epoch', severity: 'notice', office, message: `${office} has a new key epoch ${epoch} (on the audit log).` });
    }
  }
  // Devices that disappear are not news (revoked or removed); they stay out of `known` so a return is reported.
  return { warnings, known: { devices: devices.sort(), members, epochs }, baseline };
}

/** `checkKeys` against the configuration beside `keyFile`, saving what is known now. */
export async function watchKeys(s: Session, keyFile: string): Promise<KeyWatchResult> {
  const result = await checkKeys(s, (await readClientConfig(keyFile)).watch);
  await writeClientConfig(keyFile, { ...(await readClientConfig(keyFile)), watch: result.known });
  return result;
}
