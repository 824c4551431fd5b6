// Planting canary cables (issue 7 "a command plants a few per office"; docs/detection.md "Planted canaries"): the
// officer's client drafts believable decoys under the office's declared personas, a persona releases them and the
// drafter persona sends them — the release workflow exactly as anyone's, signed by enrolled devices, nothing forged
// by the node — addressed from the office to a records office nobody works in, and then the officer marks each as a
// canary (`canary.marked`), so any opening of one is a high alert and a freeze.
import type { CableId, Classification, OfficeCode } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { RequestError } from '../errors.ts';
import { markCanary } from './canaries.ts';
import { recordsOfficeOf } from './records-office.ts';
import { decoyTexts } from './canary-templates.ts';
import { seededRandom } from '../seeded-random.ts';
import { getOffice } from './directory.ts';
import { draftCable } from './drafts.ts';
import type { KeyFileOptions } from './key-file.ts';
import { personaSessions } from './personas.ts';
import { prepareRelease, releaseCandidate } from './release.ts';
import { sendCable } from './send.ts';
import type { Session } from './session.ts';

export interface PlantOptions {
  readonly office: OfficeCode;
  readonly count: number;
  readonly seed: number;
  /** The office the decoys are addressed to; default `<ORG>.ARCHIVE.RECORDS` (records-office.ts), created beforehand. */
  readonly to?: OfficeCode;
  readonly personaDir: string;
  readonly url: string;
  readonly passphrase: string;
  readonly keyFileOptions?: KeyFileOptions;
  readonly progress?: (line: string) => void;
}

export interface PlantResult {
  readonly office: OfficeCode;
  readonly to: OfficeCode;
  readonly drafter: string;
  readonly releaser: string;
  readonly cables: readonly CableId[];
}

export const MAX_PLANT = 20;

/** The records office of the office's organisation: `EEAS.DEL.WASHINGTON` → `EEAS.ARCHIVE.RECORDS`. */
export const archiveOf = (office: OfficeCode): OfficeCode => recordsOfficeOf(office.split('.')[0]!);

/**
 * The levels decoys use: the office's usual ones, LIMITED and RESTRICTED, up to its ceiling. Not above: from
 * CONFIDENTIAL a grant takes two officers, and decoys at the top levels would draw the eye of those they should bore.
 */
function decoyLevels(ceiling: Classification): Classification[] {
  const top = Math.min(Classifications.indexOf(ceiling), Classifications.indexOf('RESTRICTED'));
  const levels = Classifications.slice(0, top + 1).filter((l) => l === 'LIMITED' || l === 'RESTRICTED');
  return levels.length > 0 ? levels : [ceiling];
}

/** Plants `count` canaries in `office` (see the file comment); `officer` is a security officer's session. */
export async function plantCanaries(officer: Session, o: PlantOptions): Promise<PlantResult> {
  if (!Number.isSafeInteger(o.count) || o.count < 1 || o.count > MAX_PLANT) throw new RequestError('request.malformed', `plant 1 to ${MAX_PLANT} canaries at a time`);
  const office = await getOffice(officer, o.office);
  const to = o.to ?? archiveOf(o.office);
  const archive = await getOffice(officer, to).catch((error: unknown) => {
    if (!(error instanceof RequestError && error.code === 'request.not_found')) throw error;
    throw new RequestError('request.not_found', `no office ${to}: create the records office first (chancery canary archive --org ${o.office.split('.')[0]!} --co-officer KEYFILE)`);
  });
  const levels = decoyLevels(office.ceiling);
  const random = seededRandom(o.seed);
  const top = levels[levels.length - 1]!;
  const personas = await personaSessions(officer, { office: o.office, dir: o.personaDir, url: o.url, passphrase: o.passphrase, level: top, random, ...(o.keyFileOptions ? { keyFileOptions: o.keyFileOptions } : {}), ...(o.progress ? { progress: o.progress } : {}) });
  const { drafter, releaser } = personas;
  const releasableTo = office.communities.filter((c) => archive.communities.includes(c));
  const cables: CableId[] = [];
  try {
    for (const decoy of decoyTexts(random, o.office, levels, new Date(officer.now()), o.count)) {
      const id = await draftCable(drafter, {
        from: o.office, to: [to], tags: decoy.tags, precedence: decoy.precedence, level: decoy.level, releasableTo, subject: decoy.subject, body: decoy.body, releaser: releaser.keys.user,
      });
      await releaseCandidate(releaser, await prepareRelease(releaser, id));
      await sendCable(drafter, id);
      await markCanary(officer, id);
      cables.push(id);
      o.progress?.(`canary ${id} ${decoy.precedence} ${decoy.level}: drafted by ${drafter.keys.user}, released by ${releaser.keys.user}, sent to ${to}, marked`);
    }
  } finally {
    drafter.close();
    releaser.close();
  }
  return { office: o.office, to, drafter: drafter.keys.user, releaser: releaser.keys.user, cables };
}
