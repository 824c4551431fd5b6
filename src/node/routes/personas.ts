// Personas (issue 7 "canary cable … drafted by security officers' clients under declared personas"; docs/detection.md
// "Planted canaries"): a security officer declares a user account of this node, created for the purpose and whose
// device keys the officer's client holds, as a persona of theirs in an office. The declaration is one logged
// `persona.declared`, which names no `user`, so only security officers are shown it; the account itself stays an
// ordinary account in the directory. The log is the record: the list is read back from it (no table, no schema
// step), which is a scan of the log — fine for an officer's occasional look, not for a hot path.
import { parseOfficeCode, parseUserId } from '../../cable/ids.ts';
import type { OfficeCode, UserId } from '../../cable/types.ts';
import { RequestError } from '../../errors.ts';
import { decodeLogEntry } from '../../log/events.ts';
import { StoreLimits, type StoreTx } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import { jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

/** A declared persona as the node lists it. */
export interface PersonaListing {
  readonly persona: UserId;
  readonly office: OfficeCode;
  readonly officer: UserId;
  readonly declaredAt: number;
  readonly index: number;
}

/** Every `persona.declared` on the log, oldest first. */
function declaredPersonas(tx: StoreTx): PersonaListing[] {
  const out: PersonaListing[] = [];
  const size = tx.logSize();
  for (let from = 0; from < size; from += StoreLimits.logPageMax) {
    for (const row of tx.logEntries(from, StoreLimits.logPageMax)) {
      const e = decodeLogEntry(row.leaf);
      if (e.kind === 'persona.declared') out.push({ persona: e.persona, office: e.office, officer: e.officer, declaredAt: e.at, index: row.index });
    }
  }
  return out;
}

export const personaRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/personas',
    summary: 'The declared personas, oldest first, read from the log (security officers)',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      return node.store.transaction((tx) => {
        requireOfficer(tx, caller);
        return { body: { personas: declaredPersonas(tx) } };
      });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/personas',
    summary: 'Declare a user of this node, a member of the office, a persona of the calling officer, logging persona.declared (security officers); idempotent: 200 if already declared there',
    auth: 'device',
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const f = jsonBody(input.body, 'persona', ['persona', 'office']);
      const persona = f.id('persona', parseUserId);
      const office = f.id('office', parseOfficeCode);
      const declared = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        if (!tx.getUser(persona)) throw new RequestError('request.not_found', `no user ${persona} at this node`);
        if (!tx.getMemberships(persona).some((m) => m.office === office)) throw new RequestError('request.conflict', `${persona} holds no role in ${office}`);
        if (declaredPersonas(tx).some((p) => p.persona === persona && p.office === office)) return false;
        record([{ kind: 'persona.declared', persona, office, officer: caller.user }]);
        return true;
      });
      if (declared) node.log.info({ persona, office, by: caller.user }, 'persona declared');
      const listing = node.store.transaction((tx) => declaredPersonas(tx).find((p) => p.persona === persona && p.office === office));
      return { status: declared ? 201 : 200, body: { persona: listing, declared } };
    },
  },
];
