// The cable factory's cables are real cables: with two peered nodes, 30 cables of mixed precedence and level, to an
// office of the sending node, to one at the peer, or to both, each land in every addressed inbox at both nodes exactly
// once (and nowhere else), and a reader at the receiving node opens them with the client library.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, OfficeCode, Precedence } from '../../src/cable/types.ts';
import { fetchInbox, readCable } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { cableFactory, type SentCable, type TrafficCable } from './factory.ts';
import { createNetwork, People, type FederationNetwork, type HarnessNode } from './harness.ts';

const PRECEDENCES: readonly Precedence[] = ['ROUTINE', 'PRIORITY', 'IMMEDIATE', 'FLASH'];

/** Every inbox line of `office` as `reader` sees it, all pages. */
async function inboxIds(reader: Session, office: OfficeCode): Promise<CableId[]> {
  const ids: CableId[] = [];
  let after: string | undefined;
  do {
    const page = await fetchInbox(reader, { office, limit: 200, ...(after ? { after } : {}) });
    ids.push(...page.entries.map((e) => e.id));
    after = page.next ?? undefined;
  } while (after);
  return ids;
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const sorted = (ids: readonly CableId[]) => [...ids].sort();

describe('cable factory', { timeout: 120_000 }, () => {
  let dir: string;
  let fed: FederationNetwork;
  let eeas: HarnessNode;
  let cy: HarnessNode;
  const sessions: Session[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chancery-fed-factory-'));
    fed = await createNetwork({ nodes: ['EEAS', 'MFA.CY'], dir, serveArgs: ['--no-detect'] });
    eeas = fed.node('EEAS');
    cy = fed.node('MFA.CY');
  });

  after(async () => {
    for (const s of sessions) s.close();
    await fed?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends 30 real cables, each in every addressed inbox at both nodes exactly once, that readers open', async () => {
    const local = eeas.offices.hq;
    const remote = cy.offices.hq;
    const addresses: readonly (readonly OfficeCode[])[] = [[local], [remote], [local, remote]];
    const cables: TrafficCable[] = Array.from({ length: 30 }, (_, i) => ({
      to: addresses[i % 3]!,
      precedence: PRECEDENCES[i % 4]!,
      level: i % 5 === 4 ? 'LIMITED' : 'UNCLASSIFIED',
      subject: `FACTORY ${i}`,
      body: `Factory cable ${i}: nothing to add.`,
    }));
    const factory = await cableFactory(eeas, { concurrency: 8 });
    let sent: SentCable[];
    try {
      sent = await factory.send(cables);
    } finally {
      factory.close();
    }
    assert.equal(sent.length, 30);
    assert.equal(new Set(sent.map((c) => c.id)).size, 30, 'thirty distinct ids');
    for (const [i, { to, precedence, level, subject, body }] of sent.entries()) assert.deepEqual({ to, precedence, level, subject, body }, cables[i]);

    const eeasReader = await eeas.session(People.reader);
    const cyReader = await cy.session(People.reader);
    sessions.push(eeasReader, cyReader);
    const expected = (office: OfficeCode) => sorted(sent.filter((c) => c.to.includes(office)).map((c) => c.id));
    // Local offices get theirs at acceptance; the peer's arrive through the outbox.
    assert.deepEqual(sorted(await inboxIds(eeasReader, local)), expected(local));
    await eventually('delivered at MFA.CY', async () => (await inboxIds(cyReader, remote)).length >= expected(remote).length);
    const atPeer = await inboxIds(cyReader, remote);
    assert.deepEqual(sorted(atPeer), expected(remote), 'each cable to the peer exactly once');
    assert.ok(expected(remote).length === 20 && expected(local).length === 20);

    // A sample opens at the receiving node: UNCLASSIFIED with the office key alone, LIMITED through its release service.
    for (const [reader, office] of [[cyReader, remote], [eeasReader, local]] as const) {
      for (const level of ['UNCLASSIFIED', 'LIMITED'] as const) {
        const c = sent.find((x) => x.to.includes(office) && x.level === level)!;
        const opened = await readCable(reader, c.id);
        assert.equal(opened.cable.header.id, c.id);
        assert.equal(opened.cable.header.precedence, c.precedence);
        assert.equal(opened.cable.header.from, eeas.offices.del);
        assert.equal(opened.cable.header.releaser, People.releaser);
        assert.equal(opened.cable.content.subject, c.subject);
        assert.equal(opened.cable.content.body, c.body);
      }
    }

    // A second factory of the same office takes serials after the first's.
    const again = await cableFactory(eeas);
    try {
      const [more] = await again.send([{ to: [local], precedence: 'ROUTINE', level: 'UNCLASSIFIED', subject: 'AGAIN', body: 'Again.' }]);
      assert.ok(!sent.some((c) => c.id === more!.id));
      assert.deepEqual(sorted(await inboxIds(eeasReader, local)), sorted([...expected(local), more!.id]));
    } finally {
      again.close();
    }
  });
});
