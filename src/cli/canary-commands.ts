// `chancery canary plant | mark CABLE_ID | list`: a security officer's device planting decoy cables under declared
// personas and marking cables stored at the node as canaries (issue 7 "canary cable"; docs/detection.md "In the
// node", "Planted canaries"). Any later opening of a canary is a high alert and a freeze. Each command is one call
// of the client library.
import { dirname, join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parseCableId, parseOfficeCode } from '../cable/ids.ts';
import type { CableId, Classification, OfficeCode } from '../cable/types.ts';
import { listCanaries, markCanary, type ListedCanary } from '../client/canaries.ts';
import { plantCanaries, type PlantResult } from '../client/canary-plant.ts';
import { createRecordsOffice } from '../client/records-office.ts';
import { coOfficers, withCoOfficers, type CoOfficerFlags } from './co-officers.ts';
import { readClientConfig } from '../client/config.ts';
import { collect, deviceCommand, examples, parseLevel, parsePositive, print, readPassphrase, table, UsageError, withSession, type DeviceOptions } from './io.ts';

function parseCable(value: string): CableId {
  try {
    return parseCableId(value);
  } catch {
    throw new InvalidArgumentError('expected a cable id (MFA.CY.AMERICAS/2026/000123)');
  }
}

const render = (canaries: readonly ListedCanary[]): string =>
  canaries.length === 0
    ? 'no canaries'
    : table(['CABLE', 'MARKED', 'BY'], canaries.map((c) => [c.cable, new Date(c.markedAt).toISOString().slice(0, 19), c.officer]));

function parseOffice(value: string): OfficeCode {
  try {
    return parseOfficeCode(value);
  } catch {
    throw new InvalidArgumentError('expected an office code (EEAS.DEL.WASHINGTON)');
  }
}

function parseSeed(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number below 1,000,000,000');
  return Number(value);
}

interface PlantFlags extends DeviceOptions {
  readonly office: OfficeCode;
  readonly count: number;
  readonly seed?: number;
  readonly to?: OfficeCode;
}

async function plant(f: PlantFlags): Promise<void> {
  if (!f.key) throw new UsageError('--key FILE (or CHANCERY_KEY) is required');
  const key = f.key;
  const passphrase = readPassphrase(f.passphraseFile, 'CHANCERY_PASSPHRASE');
  const url = f.node ?? (await readClientConfig(key)).url;
  await withSession(f, async (s) => {
    const result = await plantCanaries(s, {
      office: f.office, count: f.count, seed: f.seed ?? Math.floor(Math.random() * 1e9), ...(f.to ? { to: f.to } : {}),
      personaDir: join(dirname(key), 'personas'), url, passphrase, progress: (line) => process.stderr.write(`… ${line}\n`),
    });
    print(f, result, (r: PlantResult) => r.cables.join('\n'));
  });
}

export function registerCanaryCommands(program: Command): void {
  const canary = program.command('canary').description('canary cables at your node: any opening of one freezes the reader (security officers)');
  examples(
    deviceCommand(canary, 'plant', "draft, release and send decoy cables from an office under its declared personas (made on first use; keys in personas/ beside your key file), then mark each a canary; prints the cable ids")
      .requiredOption('--office <office>', 'the office the decoys come from', parseOffice)
      .option('--count <n>', 'how many to plant (at most 20)', parsePositive, 3)
      .option('--seed <n>', 'seed for the decoy texts and persona names (default: random)', parseSeed)
      .option('--to <office>', 'the records office they are addressed to (default: <ORG>.ARCHIVE.RECORDS)', parseOffice)
      .action((f: PlantFlags) => plant(f)),
    ['chancery canary plant --office EEAS.DEL.WASHINGTON --count 3 --key data/keys/ines.moreau.key'],
  );
  examples(
    withCoOfficers(deviceCommand(canary, 'archive', "create your organisation's records office for decoys (<ORG>.ARCHIVE.RECORDS): no members but you and the co-officers, its key epochs opened"))
      .requiredOption('--org <org>', 'your organisation, e.g. EEAS')
      .option('--ceiling <level>', 'highest level it holds (decoys stay at or below RESTRICTED)', parseLevel)
      .option('--community <code>', "releasability community (repeatable; default: every community of the organisation's offices here)", collect)
      .action((f: CoOfficerFlags & { org: string; ceiling?: Classification; community?: string[] }) =>
        withSession(f, (s) =>
          coOfficers(f, async (co) => {
            const made = await createRecordsOffice(s, { org: f.org, coOfficers: co, ...(f.ceiling ? { ceiling: f.ceiling } : {}), ...(f.community ? { communities: f.community } : {}) });
            print(f, made, (r) => `records office ${r.office} created for ${r.communities.join(', ')}; security officers ${r.officers.join(', ')}; ${r.epochs.length} key epoch(s) opened`);
          }),
        ),
      ),
    ['chancery canary archive --org EEAS --key data/keys/ines.moreau.key --co-officer data/keys/piotr.nowak.key'],
  );
  examples(
    deviceCommand(canary, 'mark', 'mark a cable stored at your node as a canary (logged as canary.marked; marking again changes nothing)')
      .argument('<cable>', 'the cable id', parseCable)
      .action((cable: CableId, f: DeviceOptions) =>
        withSession(f, async (s) => {
          print(f, await markCanary(s, cable), (r) => (r.marked ? `cable ${r.canary.cable} is now a canary` : `cable ${r.canary.cable} was already a canary (marked by ${r.canary.officer})`));
        }),
      ),
    ['chancery canary mark MFA.CY.AMERICAS/2026/000123 --key data/keys/ines.moreau.key'],
  );
  examples(
    deviceCommand(canary, 'list', 'the cables marked as canaries, oldest mark first')
      .action((f: DeviceOptions) =>
        withSession(f, async (s) => {
          print(f, await listCanaries(s), render);
        }),
      ),
    ['chancery canary list --key data/keys/ines.moreau.key', 'chancery canary list --json --key data/keys/ines.moreau.key'],
  );
}
