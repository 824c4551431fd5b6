// Canary cables (issue 7 "canary cable"; docs/detection.md "In the node"): a security officer marks a cable stored
// at this node as a canary, in one logged write (`canary.marked`, which names the officer and no user, so no
// ordinary device is shown it). The detector then judges any opening of that cable as a high alert and a freeze.
import { parseCableId } from '../../cable/ids.ts';
import { RequestError } from '../../errors.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import { jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

export const canaryRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/canaries',
    summary: 'The cables marked as canaries, oldest mark first (security officers)',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      return node.store.transaction((tx) => {
        requireOfficer(tx, caller);
        return { body: { canaries: tx.listCanaries() } };
      });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/canaries',
    summary: 'Mark a cable stored at this node as a canary, logging canary.marked (security officers); idempotent: 200 if already marked',
    auth: 'device',
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const cable = jsonBody(input.body, 'canary', ['cable']).id('cable', parseCableId);
      const marked = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        const stored = tx.getCable(cable);
        if (!stored) throw new RequestError('request.not_found', `no cable ${cable} at this node`);
        // An UNCLASSIFIED cable opens with the office key alone: no share, so no read is ever logged to catch.
        if (stored.classification === 'UNCLASSIFIED') throw new RequestError('request.conflict', `${cable} is UNCLASSIFIED: its openings need no release share and are never logged, so it cannot serve as a canary`);
        if (tx.isCanary(cable)) return false;
        tx.markCanary({ cable, officer: caller.user, markedAt: input.now });
        record([{ kind: 'canary.marked', cable, officer: caller.user }]);
        return true;
      });
      if (marked) node.log.info({ cable, by: caller.user }, 'canary marked');
      const canary = node.store.transaction((tx) => tx.listCanaries().find((c) => c.cable === cable));
      return { status: marked ? 201 : 200, body: { canary, marked } };
    },
  },
];
