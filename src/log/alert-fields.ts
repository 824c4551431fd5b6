// How the alert-handling events (alert-events.ts) map to and from CBOR; merged into KIND_SPECS by event-fields.ts.
import { parseUserId } from '../cable/ids.ts';
import type { AlertHandlingKinds } from './alert-events.ts';
import { AlertActions, type EntryOf } from './event-types.ts';
import { parseAlertId, type KindSpec } from './event-fields.ts';

type Specs = { readonly [K in (typeof AlertHandlingKinds)[number]]: KindSpec<EntryOf<K>> };

export const ALERT_HANDLING_SPECS: Specs = {
  'alert.acknowledged': {
    required: ['alert', 'officer'],
    optional: [],
    toCbor: (e) => ({ alert: e.alert, officer: e.officer }),
    fromFields: (f, h) => ({ ...h, kind: 'alert.acknowledged', alert: f.id('alert', parseAlertId), officer: f.id('officer', parseUserId) }),
  },
  'alert.escalated': {
    required: ['alert', 'officer', 'action'],
    optional: [],
    toCbor: (e) => ({ alert: e.alert, officer: e.officer, action: e.action }),
    fromFields: (f, h) => ({
      ...h, kind: 'alert.escalated', alert: f.id('alert', parseAlertId), officer: f.id('officer', parseUserId), action: f.oneOf('action', AlertActions),
    }),
  },
};
