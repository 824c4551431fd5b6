// Federation routes (docs/federation.md): the push a peer delivers a cable with, the outbox at a glance for
// officers, and a cable's delivery state per addressed office for the people who sent it.
import { parseCableId } from '../../cable/ids.ts';
import type { OfficeCode } from '../../cable/types.ts';
import { ChanceryError, RequestError } from '../../errors.ts';
import { decodeEnvelope } from '../../envelope/codec.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { notePeerRefusal } from '../federation/refusals.ts';
import { receivePushed } from '../federation/receive.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

/** The largest envelope a node accepts from its devices (routes/drafts.ts), in base64, with its JSON framing. */
const MAX_PUSH = 60 * 1024 * 1024 + 4096;

const push: Route = {
  method: 'POST',
  path: '/api/v1/federation/cables',
  summary: 'A peer delivers a cable for our offices; answers a signed delivery receipt (peers only)',
  auth: 'peer',
  maxBody: MAX_PUSH,
  async handle(node, input) {
    const peer = input.peer;
    if (!peer) throw new RequestError('request.forbidden', 'only a peer node may push cables');
    try {
      const bytes = base64Field(jsonBody(input.body, 'push', ['envelope']), 'envelope', MAX_PUSH);
      const received = await receivePushed(node, input, peer, bytes);
      return { status: received.duplicate ? 200 : 201, body: { receipt: b64(received.receipt), duplicate: received.duplicate, offices: received.offices } };
    } catch (error) {
      // A conflict is logged as such by receivePushed; everything else refused is a `peer.refused`.
      if (error instanceof ChanceryError && error.code !== 'request.conflict' && error.code !== 'node.keeper_unavailable') notePeerRefusal(node, peer, error.code);
      throw error;
    }
  },
};

const outbox: Route = {
  method: 'GET',
  path: '/api/v1/outbox',
  summary: 'Per peer: queued cables, oldest pending, delivered, conflicts, last error (security officers)',
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    return node.store.transaction((tx) => {
      requireOfficer(tx, caller);
      return { body: { peers: tx.outboxSummary() } };
    });
  },
};

interface OfficeState {
  readonly office: OfficeCode;
  readonly node: string;
  readonly state: 'delivered' | 'pending' | 'conflict';
  readonly at: number;
  readonly attempts?: number;
  readonly lastError?: string;
}

const status: Route = {
  method: 'GET',
  path: '/api/v1/cables/:id/status',
  summary: "A cable's delivery state per addressed office (its drafter and releaser, members of its originating office, security officers)",
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    return node.store.transaction((tx) => {
      const cable = tx.getCable(id);
      if (!cable) throw new RequestError('request.not_found', `no cable ${id} at this node`);
      const sender = cable.drafter === caller.user || cable.releaser === caller.user || tx.getMemberships(caller.user).some((m) => m.office === cable.from);
      if (!sender && !tx.getOfficerCertificate(caller.user)) throw new RequestError('request.forbidden', 'only those who sent a cable, and security officers, see where it went');
      const self = node.identity.node;
      const manifest = decodeEnvelope(cable.envelope).header.manifest;
      const queued = new Map(tx.outboxOfCable(id).flatMap((row) => row.offices.map((office) => [office, row] as const)));
      const offices: OfficeState[] = [];
      for (const m of manifest) {
        if (m.node === self) {
          offices.push({ office: m.office, node: m.node, state: 'delivered', at: cable.acceptedAt });
          continue;
        }
        const row = queued.get(m.office);
        // A cable that came from a peer: where else it went is that peer's to say.
        if (!row) continue;
        if (row.state === 'delivered') offices.push({ office: m.office, node: m.node, state: 'delivered', at: row.deliveredAt ?? row.enqueuedAt, attempts: row.attempts });
        else offices.push({ office: m.office, node: m.node, state: row.state, at: row.enqueuedAt, attempts: row.attempts, ...(row.lastError === null ? {} : { lastError: row.lastError }) });
      }
      return { body: { cable: id, offices } };
    });
  },
};

export const federationRoutes: readonly Route[] = [push, outbox, status];
