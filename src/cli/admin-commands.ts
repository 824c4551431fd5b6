// `chancery office | user | device | officer | epoch | grant`: administration from a security officer's device (and
// enrollment from a new device). Each command maps flags to one client-library call and prints the result.
import type { Command } from 'commander';
import type { Classification } from '../cable/types.ts';
import { parseDeviceId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import type { Membership } from '../policy/subjects.ts';
import { addRoles, approveDevice, appointOfficer, createOffice, createUser } from '../client/admin.ts';
import { getUser, listMembers, listOffices, type UserView } from '../client/directory.ts';
import { enrollDevice } from '../client/enroll.ts';
import { issueGrants, openEpochs, resealGrants } from '../client/key-admin.ts';
import { listDevices, officeEpochs } from '../client/key-directory.ts';
import { listGrants } from '../client/keyring.ts';
import { readKeyFile } from '../client/key-file.ts';
import { revokeDevice } from '../client/revoke.ts';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { wipeDeviceKeys } from '../client/device-keys.ts';
import { issueEnrollmentCode } from '../client/enrollment-codes.ts';
import { coOfficers, withCoOfficers, type CoOfficerFlags } from './co-officers.ts';
import { collect, deviceCommand, examples, parseLevel, print, readPassphrase, table, UsageError, withSession, type DeviceOptions } from './io.ts';

type Flags = DeviceOptions;
interface RoleFlags {
  readonly member?: string[];
  readonly releasingOfficer?: string[];
  readonly securityOfficer?: string[];
}

const levels = (values: readonly string[] | undefined): Classification[] | undefined => (values?.length ? values.map(parseLevel) : undefined);

function membershipsOf(f: RoleFlags): Membership[] {
  const releasing = (f.releasingOfficer ?? []).map((spec): Membership => {
    const [office, ceiling] = spec.split(':');
    if (!office || !ceiling) throw new UsageError(`--releasing-officer takes OFFICE:LEVEL, not ${spec}`);
    return { office: parseOfficeCode(office), role: 'releasing-officer', releaseCeiling: parseLevel(ceiling) };
  });
  return [
    ...(f.member ?? []).map((o): Membership => ({ office: parseOfficeCode(o), role: 'member' })),
    ...releasing,
    ...(f.securityOfficer ?? []).map((o): Membership => ({ office: parseOfficeCode(o), role: 'security-officer' })),
  ];
}

const renderUser = (u: UserView) =>
  [`${u.id}: ${u.name} — ${u.clearance}, ${u.nationality}${u.organisations.length ? ` (${u.organisations.join(', ')})` : ''}${u.frozen ? ', FROZEN' : ''}${u.active ? '' : ', inactive'}`,
    ...u.memberships.map((m) => `  ${m.role.padEnd(18)} ${m.office}${m.role === 'releasing-officer' ? ` up to ${m.releaseCeiling}` : ''}`)].join('\n');

function withRoleOptions(c: Command): Command {
  return c
    .option('--member <office>', 'member of an office (repeatable)', collect)
    .option('--releasing-officer <office:level>', 'releasing officer up to a level (repeatable)', collect)
    .option('--security-officer <office>', 'security officer of an office (repeatable)', collect);
}

function officeCommands(program: Command): void {
  const office = program.command('office').description('offices (security officers)');
  examples(
    deviceCommand(office, 'create', 'create or update an office')
      .requiredOption('--code <code>', 'office code, e.g. EEAS.DEL.WASHINGTON')
      .requiredOption('--name <name>', 'full name')
      .requiredOption('--ceiling <level>', 'highest classification it holds', parseLevel)
      .option('--community <code>', 'releasability community, e.g. EU (repeatable)', collect)
      .action((f: Flags & { code: string; name: string; ceiling: Classification; community?: string[] }) =>
        withSession(f, async (s) => print(f, await createOffice(s, { code: parseOfficeCode(f.code), name: f.name, ceiling: f.ceiling, communities: f.community ?? [] }), (o) => `office ${o.code} (${o.ceiling}) saved`)),
      ),
    ['chancery office create --key ines.key --code EEAS.DEL.OTTAWA --name "EU Delegation to Canada" --ceiling CONFIDENTIAL --community EU'],
  );
  deviceCommand(office, 'list', 'offices hosted at the node').action((f: Flags) =>
    withSession(f, async (s) => print(f, await listOffices(s), (list) => table(['OFFICE', 'CEILING', 'COMMUNITIES', 'NAME'], list.map((o) => [o.code, o.ceiling, o.communities.join(' '), o.name])))),
  );
  deviceCommand(office, 'members', 'members of an office and their roles')
    .argument('<office>')
    .action((code: string, f: Flags) =>
      withSession(f, async (s) => print(f, await listMembers(s, parseOfficeCode(code)), (list) => table(['USER', 'ROLE'], list.map((m) => [m.user, m.membership.role + (m.membership.role === 'releasing-officer' ? ` (${m.membership.releaseCeiling})` : '')])))),
    );
}

function userCommands(program: Command): void {
  const user = program.command('user').description('users, clearances and roles (security officers)');
  examples(
    withRoleOptions(
      deviceCommand(user, 'create', 'create or update a user; the roles given replace the old ones')
        .requiredOption('--id <id>', 'user id, e.g. anna.schmidt')
        .requiredOption('--name <name>', 'full name')
        .requiredOption('--clearance <level>', 'clearance', parseLevel)
        .requiredOption('--nationality <cc>', 'ISO 3166 alpha-2')
        .option('--organisation <code>', 'community such as EU or NATO (repeatable)', collect)
        .option('--caveat <caveat>', 'special access held (repeatable)', collect),
    ).action((f: Flags & RoleFlags & { id: string; name: string; clearance: Classification; nationality: string; organisation?: string[]; caveat?: string[] }) =>
        withSession(f, async (s) => {
          const input = { id: parseUserId(f.id), name: f.name, clearance: f.clearance, nationality: f.nationality.toUpperCase(), organisations: f.organisation ?? [], caveats: f.caveat ?? [], memberships: membershipsOf(f) };
          print(f, await createUser(s, input), renderUser);
        }),
      ),
    ['chancery user create --key ines.key --id anna.schmidt --name "Anna Schmidt" --clearance CONFIDENTIAL --nationality DE --organisation EU --member EEAS.DEL.WASHINGTON'],
  );
  examples(
    withRoleOptions(deviceCommand(user, 'add-role', 'add roles to a user, keeping the others').argument('<id>'))
      .action((id: string, f: Flags & RoleFlags) => withSession(f, async (s) => print(f, await addRoles(s, parseUserId(id), membershipsOf(f)), renderUser))),
    ['chancery user add-role --key ines.key piotr.nowak --security-officer EEAS.DEL.MEXICO'],
  );
  deviceCommand(user, 'show', 'a user (default: yourself)')
    .argument('[id]')
    .action((id: string | undefined, f: Flags) => withSession(f, async (s) => print(f, await getUser(s, id ? parseUserId(id) : s.keys.user), renderUser)));
}

function deviceCommands(program: Command): void {
  const device = program.command('device').description('devices: enroll a new one, approve it, revoke one, list them');
  examples(
    device
      .command('enroll')
      .description('generate this device’s keys, pin the node’s root and file a pending enrollment')
      .requiredOption('--node <url>', 'the node URL')
      .requiredOption('--user <id>', 'your user id')
      .requiredOption('--device <id>', 'a name for this device')
      .requiredOption('--key <file>', 'where to write the new key file')
      .option('--root-fingerprint <hex>', 'the organisation root fingerprint your security officer gave you')
      .option('--passphrase-file <file>', 'passphrase for the new key file (or CHANCERY_PASSPHRASE)')
      .option('--json', 'print the result as JSON')
      .action(async (f: { node: string; user: string; device: string; key: string; rootFingerprint?: string; passphraseFile?: string; json?: boolean }) => {
        const passphrase = readPassphrase(f.passphraseFile, 'CHANCERY_PASSPHRASE', 'the new key file');
        const input = { url: f.node, user: parseUserId(f.user), device: parseDeviceId(f.device), keyFile: f.key, passphrase, ...(f.rootFingerprint ? { rootFingerprint: f.rootFingerprint } : {}) };
        print(f, await enrollDevice(nodeProvider, input), (r) =>
          [`Enrollment of ${r.user}/${r.device} filed with node ${r.node}; pending approval.`,
            `Device fingerprint (read it to the approving officer): ${r.deviceFingerprint}`,
            `Organisation root ${r.pinnedOnFirstUse ? 'pinned on first use — compare it with your officer' : 'matches the fingerprint given'}: ${r.rootFingerprint}`].join('\n'));
      }),
    ['chancery device enroll --node https://cables.example.eu --user anna.schmidt --device d-anna-2 --key ~/.chancery/anna-2.key --root-fingerprint 3f9a…'],
  );
  examples(
    deviceCommand(device, 'approve', "approve a pending device (security officer, or the user's own device)")
      .argument('<user>')
      .argument('<device>')
      .option('--fingerprint <fp>', 'refuse unless the pending keys have this fingerprint')
      .action((user: string, dev: string, f: Flags & { fingerprint?: string }) =>
        withSession(f, async (s) => print(f, await approveDevice(s, parseUserId(user), parseDeviceId(dev), f.fingerprint), (r) => `approved ${r.user}/${r.device} (${r.deviceFingerprint})`)),
      ),
    ['chancery device approve --key ines.key anna.schmidt d-anna-2 --fingerprint 1a2b-3c4d-5e6f-7a8b-9c0d'],
  );
  examples(
    deviceCommand(device, 'revoke', "revoke a device from now on (the user's own other device, or a security officer)")
      .argument('<user>')
      .argument('<device>')
      .action((user: string, dev: string, f: Flags) =>
        withSession(f, async (s) => print(f, await revokeDevice(s, parseUserId(user), parseDeviceId(dev)), (r) =>
          [`${r.duplicate ? 'already revoked' : 'revoked'} ${r.user}/${r.device} as of ${new Date(r.revokedAt).toISOString()} (by ${r.by.kind === 'officer' ? r.by.officer : `device ${r.by.device}`})`,
            ...(r.heldEpochs.length ? [`it held keys of: ${r.heldEpochs.map((e) => `${e.office} ${e.level} epoch ${e.epoch}`).join(', ')} — a security officer should close those epochs`] : [])].join('\n'))),
      ),
    ['chancery device revoke --key anna-2.key anna.schmidt d-anna-1'],
  );
  examples(
    deviceCommand(device, 'invite', 'issue a one-time code (24 h) for enrolling a browser device with a passkey')
      .requiredOption('--user <id>', 'the user who will enroll the browser')
      .action((f: Flags & { user: string }) =>
        withSession(f, async (s) => print(f, await issueEnrollmentCode(s, parseUserId(f.user)), (r) =>
          [`Enrollment code for ${r.user}: ${r.code}`,
            `Single use, valid until ${new Date(r.expiresAt).toISOString()}.`,
            `Tell ${r.user} to open ${new URL('/#/enroll', s.http.url).toString()} in the browser to enroll and type the code there.`].join('\n'))),
      ),
    ['chancery device invite --key ines.key --user anna.schmidt'],
  );
  deviceCommand(device, 'list', "a user's devices (default: yours)")
    .argument('[user]')
    .action((user: string | undefined, f: Flags) =>
      withSession(f, async (s) => {
        const list = await listDevices(s, user ? parseUserId(user) : s.keys.user);
        print(f, list.map((d) => ({ user: d.user, device: d.device, status: d.status, createdAt: new Date(d.createdAt).toISOString(), approval: d.record?.approval ?? null })), (rows) =>
          table(['DEVICE', 'STATUS', 'ENROLLED', 'APPROVED BY'], rows.map((d) => [d.device, d.status, d.createdAt, d.approval ? (d.approval.kind === 'officer' ? d.approval.officer : `device ${d.approval.device}`) : ''])));
      }),
    );
  examples(
    withCoOfficers(deviceCommand(program.command('officer').description('security officers'), 'appoint', "appoint a security officer: the offline organisation root signs, two officers endorse"))
      .requiredOption('--root-key <file>', 'the organisation root key file')
      .requiredOption('--officer-key <file>', "the new officer's device key file (user and device approved already)")
      .option('--founding', "the root's word alone: only while the node has fewer than two officers")
      .option('--root-passphrase-file <file>', 'root key passphrase (or CHANCERY_ROOT_PASSPHRASE)')
      .option('--officer-passphrase-file <file>', "the new officer's key passphrase (default: the same as --key's)")
      .action(async (f: CoOfficerFlags & { rootKey: string; officerKey: string; founding?: boolean; rootPassphraseFile?: string; officerPassphraseFile?: string }) => {
        // Founding or endorsed is the operator's explicit choice, never inferred from a missing flag.
        if (f.founding === true && (f.coOfficer ?? []).length > 0) throw new UsageError('--founding takes no --co-officer: a founding appointment is the root\'s alone');
        if (f.founding !== true && (f.coOfficer ?? []).length === 0) {
          throw new UsageError('an appointment takes two officers: yours (--key) and a --co-officer (or --founding while the node has fewer than two officers)');
        }
        await withSession(f, (s) => coOfficers(f, async (co) => {
          const root = await readRootKeyFile(f.rootKey, readPassphrase(f.rootPassphraseFile, 'CHANCERY_ROOT_PASSPHRASE', 'the organisation root'));
          const officer = await readKeyFile(f.officerKey, readPassphrase(f.officerPassphraseFile ?? f.passphraseFile, 'CHANCERY_PASSPHRASE'));
          try {
            print(f, await appointOfficer(s, root, officer, { coOfficers: co }), (r) =>
              `${r.user} is a security officer until ${new Date(r.validUntil).toISOString()} (${r.endorsedBy.length ? `endorsed by ${r.endorsedBy.join(' and ')}` : 'founding: the root alone'})`);
          } finally {
            wipeRootKey(root);
            wipeDeviceKeys(officer);
          }
        }));
      }),
    [
      'chancery officer appoint --key ines.key --co-officer piotr.key --root-key /media/offline/EEAS.root.key --officer-key lena.key',
      'chancery officer appoint --key ines.key --founding --root-key /media/offline/EEAS.root.key --officer-key piotr.key',
    ],
  );
}

function keyCommands(program: Command): void {
  const epoch = program.command('epoch').description('office key epochs (security officers)');
  examples(
    withCoOfficers(deviceCommand(epoch, 'open', "open the next key epoch of an office at each level up to its ceiling"))
      .requiredOption('--office <code>', 'the office')
      .option('--level <level>', 'only these levels (repeatable)', collect)
      .action((f: CoOfficerFlags & { office: string; level?: string[] }) =>
        withSession(f, (s) => coOfficers(f, async (co) => {
          const only = levels(f.level);
          print(f, await openEpochs(s, parseOfficeCode(f.office), { coOfficers: co, ...(only ? { levels: only } : {}) }), (list) => list.map((e) => `opened ${e.office} ${e.level} epoch ${e.epoch}`).join('\n'));
        })),
      ),
    ['chancery epoch open --key ines.key --office EEAS.DEL.OTTAWA --co-officer piotr.key --co-officer lena.key'],
  );
  deviceCommand(epoch, 'list', "an office's epochs, each verified to the organisation root")
    .requiredOption('--office <code>', 'the office')
    .action((f: Flags & { office: string }) =>
      withSession(f, async (s) => {
        const list = (await officeEpochs(s, parseOfficeCode(f.office))).map((e) => ({ level: e.verified.epoch.level, epoch: e.verified.epoch.epoch, closed: e.closed, certifiedBy: e.verified.epoch.certifiedBy }));
        print(f, list, (rows) => table(['LEVEL', 'EPOCH', 'STATE', 'CERTIFIED BY'], rows.map((e) => [e.level, String(e.epoch), e.closed ? 'closed' : 'open', e.certifiedBy])));
      }),
    );
  const grant = program.command('grant').description('office keys granted to devices');
  examples(
    withCoOfficers(deviceCommand(grant, 'issue', "grant an office's current keys to a member's device, as policy allows"))
      .requiredOption('--user <id>', 'the member')
      .requiredOption('--device <id>', "the member's device")
      .requiredOption('--office <code>', 'the office')
      .option('--level <level>', 'only these levels (default: all the member may hold)', collect)
      .action((f: CoOfficerFlags & { user: string; device: string; office: string; level?: string[] }) =>
        withSession(f, (s) => coOfficers(f, async (co) => {
          const only = levels(f.level);
          const request = { user: parseUserId(f.user), device: parseDeviceId(f.device), office: parseOfficeCode(f.office), coOfficers: co, ...(only ? { levels: only } : {}) };
          print(f, await issueGrants(s, request), (list) => list.map((g) => `granted ${g.office} ${g.level} epoch ${g.epoch} to ${f.user}/${f.device}`).join('\n'));
        })),
      ),
    ['chancery grant issue --key ines.key --user anna.schmidt --device d-anna-1 --office EEAS.DEL.WASHINGTON --co-officer piotr.key'],
  );
  deviceCommand(grant, 'reseal', "pass this device's keys on to your own newly approved device")
    .requiredOption('--device <id>', 'your new device')
    .action((f: Flags & { device: string }) =>
      withSession(f, async (s) => print(f, await resealGrants(s, parseDeviceId(f.device)), (list) => `re-sealed ${list.length} key(s) to ${f.device}`)),
    );
  deviceCommand(grant, 'list', 'the office keys this device holds')
    .action((f: Flags) =>
      withSession(f, async (s) => {
        const list = (await listGrants(s)).map((g) => ({ office: g.office, level: g.level, epoch: g.epoch, issuer: g.issuer.kind === 'officer' ? g.issuer.officers.join('+') : `device ${g.issuer.device}` }));
        print(f, list, (rows) => table(['OFFICE', 'LEVEL', 'EPOCH', 'ISSUED BY'], rows.map((g) => [g.office, g.level, String(g.epoch), g.issuer])));
      }),
    );
}

export function registerAdminCommands(program: Command): void {
  officeCommands(program);
  userCommands(program);
  deviceCommands(program);
  keyCommands(program);
}
