// How the web app events (web-events.ts: web releases, returned drafts) map to and from CBOR; merged into KIND_SPECS by event-fields.ts.
import { parseCableId, parseUserId } from '../cable/ids.ts';
import type { EntryOf, WebKinds } from './event-types.ts';
import type { KindSpec } from './event-fields.ts';

const HASH = 32;
/** As src/keys/web-release.ts caps it. */
const VERSION_MAX = 64;

type Specs = { readonly [K in (typeof WebKinds)[number]]: KindSpec<EntryOf<K>> };

export const WEB_SPECS: Specs = {
  'web.released': {
    required: ['manifestHash', 'version', 'recordHash', 'by'],
    optional: [],
    toCbor: (e) => ({ manifestHash: e.manifestHash, version: e.version, recordHash: e.recordHash, by: e.by }),
    fromFields: (f, h) => ({
      ...h, kind: 'web.released', manifestHash: f.bytes('manifestHash', HASH), version: f.token('version', VERSION_MAX), recordHash: f.bytes('recordHash', HASH), by: f.id('by', parseUserId),
    }),
  },
  'draft.returned': {
    required: ['cable', 'by'],
    optional: [],
    toCbor: (e) => ({ cable: e.cable, by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'draft.returned', cable: f.id('cable', parseCableId), by: f.id('by', parseUserId) }),
  },
};
