// Declared personas at the node (issue 7 "canary cable … under declared personas"; docs/detection.md "Planted
// canaries"): only security officers declare and list them, a declaration is one logged `persona.declared` naming no
// user, declaring again is idempotent, and only a user of the node holding a role in the office can be declared.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '../../src/cable/types.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import { AMERICAS, approvedUser, codeOf, makeNode, officeBody, OLGA, send, sessionOf, type TestNode } from './fixtures.ts';

const SAM = 'sam' as UserId;
const HELMUT = 'helmut.kranz' as UserId;

describe('declared personas at the node', { timeout: 15_000 }, () => {
  let node: TestNode;
  let sam: DeviceKeys;
  let helmut: DeviceKeys;
  const entries = (): LogEntry[] => node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf));
  const declare = (by: 'olga' | DeviceKeys, body: unknown) => send(node, by === 'olga' ? node.officer : sessionOf(by), 'POST', '/api/v1/personas', { body });

  before(async () => {
    node = await makeNode();
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    sam = await approvedUser(node, SAM, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    helmut = await approvedUser(node, HELMUT, 'RESTRICTED', [{ office: AMERICAS, role: 'member' }]);
  });
  after(() => node.close());

  it('refuses non-officers, unknown users and users with no role in the office', async () => {
    const refused = await declare(sam, { persona: HELMUT, office: AMERICAS });
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'request.forbidden']);
    assert.equal((await send(node, sessionOf(sam), 'GET', '/api/v1/personas')).status, 403);
    const unknown = await declare('olga', { persona: 'nobody', office: AMERICAS });
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'request.not_found']);
    const elsewhere = await declare('olga', { persona: HELMUT, office: 'MFA.CY.EUROPE' });
    assert.deepEqual([elsewhere.status, codeOf(elsewhere)], [409, 'request.conflict']);
    assert.equal(entries().filter((e) => e.kind === 'persona.declared').length, 0);
  });

  it('declares once, as persona.declared with no user field, listed for officers; declaring again logs nothing', async () => {
    const before = entries().length;
    const first = await declare('olga', { persona: HELMUT, office: AMERICAS });
    assert.equal(first.status, 201, first.text);
    const added = entries().slice(before);
    assert.deepEqual(added.map((e) => e.kind), ['persona.declared']);
    assert.ok(added[0]?.kind === 'persona.declared');
    assert.deepEqual([added[0].persona, added[0].office, added[0].officer], [HELMUT, AMERICAS, OLGA]);
    assert.equal('user' in added[0], false, 'no ordinary device is shown the declaration');
    const again = await declare('olga', { persona: HELMUT, office: AMERICAS });
    assert.equal(again.status, 200, again.text);
    assert.equal(entries().length, before + 1);
    const list = await send(node, node.officer, 'GET', '/api/v1/personas');
    const body = JSON.parse(list.text) as { personas: { persona: string; office: string; officer: string; index: number }[] };
    assert.deepEqual(body.personas.map((p) => [p.persona, p.office, p.officer, p.index]), [[HELMUT, AMERICAS, OLGA, before]]);
    // The persona's own device is not shown the entry either.
    const own = await send(node, sessionOf(helmut), 'GET', `/api/v1/log/entries/${before}`);
    assert.equal(own.status, 403, own.text);
  });
});
