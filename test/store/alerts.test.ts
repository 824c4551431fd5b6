// Alerts and pending clearances in the SQLite store (schema 6): an alert is named by its id and by (user, rule,
// judged entry), so a replay of the log finds it instead of storing it twice; a freeze's first clearing officer is
// stored until the second one comes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { StoreError } from '../../src/errors.ts';
import { parseAlertId } from '../../src/log/events.ts';
import type { AlertRow } from '../../src/store/store.ts';
import { ANNA, BORIS, bytes, rosterStore } from './fixtures.ts';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

describe('sqlite store: alerts', () => {
  const alert: AlertRow = {
    id: parseAlertId('a-20260302-0001'),
    user: ANNA,
    rule: 'bulk_read',
    severity: 'high',
    action: 'freeze',
    evidence: [0, 2],
    triggerIndex: 2,
    raisedIndex: 3,
    raisedAt: 1_700_000_000_000,
    state: 'open',
    acknowledgedBy: null,
  };
  const withLog = () => {
    const store = rosterStore();
    store.transaction((tx) => tx.appendLogEntries([0, 1, 2, 3, 4].map((i) => ({ leaf: bytes(i) })), 1, p));
    return store;
  };

  it('stores, finds by id and by (user, rule, judged entry), and refuses a second alert for either', () => {
    const store = withLog();
    store.transaction((tx) => tx.putAlert(alert));
    store.transaction((tx) => {
      assert.deepEqual(tx.getAlert(alert.id), alert);
      assert.deepEqual(tx.findAlert(ANNA, 'bulk_read', 2), alert);
      assert.equal(tx.findAlert(ANNA, 'bulk_read', 1), null);
      assert.equal(tx.countAlerts(), 1);
    });
    assert.throws(() => store.transaction((tx) => tx.putAlert({ ...alert, id: parseAlertId('a-20260302-0002') })), isStoreError('store.conflict'));
    assert.throws(() => store.transaction((tx) => tx.putAlert({ ...alert, triggerIndex: 4 })), isStoreError('store.conflict'));
    assert.throws(() => store.transaction((tx) => tx.putAlert({ ...alert, id: parseAlertId('a-x'), triggerIndex: 3, raisedIndex: 9 })), isStoreError('store.not_found'), 'the raising entry must exist');
  });

  it('lists by state, oldest first, and moves an alert along', () => {
    const store = withLog();
    const second = { ...alert, id: parseAlertId('a-20260302-0002'), user: BORIS, action: 'alert' as const, raisedIndex: 4 };
    store.transaction((tx) => {
      tx.putAlert(second);
      tx.putAlert(alert);
      tx.setAlertState(alert.id, 'acknowledged', BORIS);
      tx.setAlertState(second.id, 'cleared', null);
    });
    store.transaction((tx) => {
      assert.deepEqual(tx.listAlerts(['open', 'acknowledged']).map((a) => [a.id, a.state, a.acknowledgedBy]), [[alert.id, 'acknowledged', BORIS]]);
      assert.deepEqual(tx.listAlerts(['open', 'acknowledged', 'cleared']).map((a) => a.id), [alert.id, second.id]);
      tx.setAlertState(alert.id, 'cleared', null);
      assert.equal(tx.getAlert(alert.id)?.acknowledgedBy, BORIS, 'clearing keeps who acknowledged');
    });
    assert.throws(() => store.transaction((tx) => tx.setAlertState(parseAlertId('a-none'), 'cleared', null)), isStoreError('store.not_found'));
  });

  it("lists one user's open alerts of one action, and no one else's, no other action, nothing no longer open", () => {
    const store = withLog();
    const stepUp = { ...alert, action: 'step_up' as const, severity: 'low' as const };
    const later = { ...stepUp, id: parseAlertId('a-20260302-0002'), rule: 'off_hours', triggerIndex: 3, raisedIndex: 4 };
    const others = { ...stepUp, id: parseAlertId('a-20260302-0003'), user: BORIS, rule: 'dormant', triggerIndex: 1, raisedIndex: 1 };
    const freeze = { ...alert, id: parseAlertId('a-20260302-0004'), rule: 'canary', triggerIndex: 0, raisedIndex: 0 };
    store.transaction((tx) => {
      for (const a of [later, stepUp, others, freeze]) tx.putAlert(a);
    });
    store.transaction((tx) => {
      assert.deepEqual(tx.listOpenAlertsOf(ANNA, 'step_up').map((a) => a.id), [stepUp.id, later.id]);
      assert.deepEqual(tx.listOpenAlertsOf(ANNA, 'freeze').map((a) => a.id), [freeze.id]);
      assert.deepEqual(tx.listOpenAlertsOf(BORIS, 'step_up').map((a) => a.id), [others.id]);
      tx.setAlertState(stepUp.id, 'acknowledged', ANNA);
      assert.deepEqual(tx.listOpenAlertsOf(ANNA, 'step_up').map((a) => a.id), [later.id]);
    });
  });

  it('keeps one pending clearance per alert until it is deleted', () => {
    const store = withLog();
    const request = { alert: alert.id, officer: BORIS, requestedAt: 5 };
    store.transaction((tx) => {
      tx.putAlert(alert);
      tx.putClearanceRequest(request);
    });
    assert.deepEqual(store.transaction((tx) => tx.getClearanceRequest(alert.id)), request);
    assert.throws(() => store.transaction((tx) => tx.putClearanceRequest({ ...request, officer: ANNA })), isStoreError('store.conflict'));
    store.transaction((tx) => tx.deleteClearanceRequest(alert.id));
    assert.equal(store.transaction((tx) => tx.getClearanceRequest(alert.id)), null);
    assert.throws(() => store.transaction((tx) => tx.putClearanceRequest({ ...request, alert: parseAlertId('a-none') })), isStoreError('store.not_found'));
  });
});
