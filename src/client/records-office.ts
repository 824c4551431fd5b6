// The records office canaries are filed to (docs/detection.md "Planted canaries"): `<ORG>.ARCHIVE.RECORDS`, an
// office nobody works in, whose only members are the security officers who set it up, with its key epochs open so a
// release can seal to it like to any addressee. One call, so officers need not assemble it by hand; epochs need a
// co-officer, as for any office (docs/keys.md).
import { parseOfficeCode } from '../cable/ids.ts';
import { Classifications, type Classification, type OfficeCode } from '../cable/types.ts';
import { RequestError } from '../errors.ts';
import { addRoles, createOffice } from './admin.ts';
import { listOffices } from './directory.ts';
import { openEpochs, type OpenedEpoch } from './key-admin.ts';
import type { Session } from './session.ts';

/** `EEAS` → `EEAS.ARCHIVE.RECORDS`. */
export const recordsOfficeOf = (org: string): OfficeCode => parseOfficeCode(`${org}.ARCHIVE.RECORDS`);

export interface RecordsOfficeOptions {
  readonly org: string;
  /** The officers who co-sign the epochs (one at least); they become security officers of the office too. */
  readonly coOfficers: readonly Session[];
  /** Decoys go no higher than RESTRICTED (canary-plant.ts), so neither need the office. */
  readonly ceiling?: Classification;
  /** Default: every community of the organisation's offices at this node, so decoys of any of them may be filed. */
  readonly communities?: readonly string[];
}

export interface RecordsOffice {
  readonly office: OfficeCode;
  readonly communities: readonly string[];
  readonly officers: readonly string[];
  readonly epochs: readonly OpenedEpoch[];
}

/** Creates the organisation's records office (refused if it exists: 409), makes the officers its members, opens its epochs. */
export async function createRecordsOffice(officer: Session, o: RecordsOfficeOptions): Promise<RecordsOffice> {
  if (o.coOfficers.length === 0) throw new RequestError('request.malformed', "opening the records office's key epochs takes a co-officer (--co-officer)");
  const office = recordsOfficeOf(o.org);
  const offices = await listOffices(officer);
  if (offices.some((x) => x.code === office)) throw new RequestError('request.conflict', `${office} exists already`);
  const own = offices.filter((x) => x.code.startsWith(`${o.org}.`));
  if (own.length === 0) throw new RequestError('request.not_found', `no office of ${o.org} at this node`);
  const communities = o.communities ?? [...new Set(own.flatMap((x) => x.communities))].sort();
  const ceiling = o.ceiling ?? 'RESTRICTED';
  if (!Classifications.includes(ceiling)) throw new RequestError('request.malformed', `no level ${String(ceiling)}`);
  await createOffice(officer, { code: office, name: `${o.org} records`, ceiling, communities });
  const officers = [...new Set([officer, ...o.coOfficers].map((s) => s.keys.user))];
  for (const user of officers) await addRoles(officer, user, [{ office, role: 'security-officer' }]);
  const epochs = await openEpochs(officer, office, { coOfficers: o.coOfficers });
  return { office, communities, officers, epochs };
}
