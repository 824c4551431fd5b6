// How the federation events (federation-events.ts) map to and from CBOR; merged into KIND_SPECS by event-fields.ts.
import { Classifications, Precedences } from '../cable/types.ts';
import { parseCableId, parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { CableLimits } from '../cable/limits.ts';
import type { Fields } from '../encoding/fields.ts';
import type { EntryOf, FederationKinds } from './event-types.ts';
import type { KindSpec } from './event-fields.ts';

const HASH = 32;
/** Error codes are dotted snake_case (`auth.replay`), as src/errors.ts spells them. */
const CODE_MAX = 64;

const peer = (f: Fields, key = 'peer') => f.id(key, parseNodeName);
const hash = (f: Fields, key: string) => f.bytes(key, HASH);

type Specs = { readonly [K in (typeof FederationKinds)[number]]: KindSpec<EntryOf<K>> };

export const FEDERATION_SPECS: Specs = {
  'peer.added': {
    required: ['peer', 'rootFingerprint', 'certificateHash', 'by'],
    optional: [],
    toCbor: (e) => ({ peer: e.peer, rootFingerprint: e.rootFingerprint, certificateHash: e.certificateHash, by: e.by }),
    fromFields: (f, h) => ({
      ...h, kind: 'peer.added', peer: peer(f), rootFingerprint: hash(f, 'rootFingerprint'), certificateHash: hash(f, 'certificateHash'), by: f.id('by', parseUserId),
    }),
  },
  'peer.removed': {
    required: ['peer', 'by'],
    optional: [],
    toCbor: (e) => ({ peer: e.peer, by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'peer.removed', peer: peer(f), by: f.id('by', parseUserId) }),
  },
  'cable.received': {
    required: ['cable', 'fromNode', 'from', 'precedence', 'level', 'envelopeHash'],
    optional: [],
    toCbor: (e) => ({ cable: e.cable, fromNode: e.fromNode, from: e.from, precedence: e.precedence, level: e.level, envelopeHash: e.envelopeHash }),
    fromFields: (f, h) => ({
      ...h, kind: 'cable.received', cable: f.id('cable', parseCableId), fromNode: peer(f, 'fromNode'), from: f.id('from', parseOfficeCode),
      precedence: f.oneOf('precedence', Precedences), level: f.oneOf('level', Classifications), envelopeHash: hash(f, 'envelopeHash'),
    }),
  },
  'cable.forwarded': {
    required: ['cable', 'peer', 'offices', 'envelopeHash', 'receiptHash'],
    optional: [],
    toCbor: (e) => ({ cable: e.cable, peer: e.peer, offices: e.offices, envelopeHash: e.envelopeHash, receiptHash: e.receiptHash }),
    fromFields: (f, h) => ({
      ...h, kind: 'cable.forwarded', cable: f.id('cable', parseCableId), peer: peer(f),
      offices: f.idList('offices', 1, CableLimits.addresseesMax, parseOfficeCode), envelopeHash: hash(f, 'envelopeHash'), receiptHash: hash(f, 'receiptHash'),
    }),
  },
  'peer.refused': {
    required: ['peer', 'code'],
    optional: [],
    toCbor: (e) => ({ peer: e.peer, code: e.code }),
    fromFields: (f, h) => ({ ...h, kind: 'peer.refused', peer: peer(f), code: f.token('code', CODE_MAX) }),
  },
  'peer.conflict': {
    required: ['peer', 'cable', 'envelopeHash'],
    optional: ['storedHash'],
    toCbor: (e) => ({ peer: e.peer, cable: e.cable, envelopeHash: e.envelopeHash, ...(e.storedHash === undefined ? {} : { storedHash: e.storedHash }) }),
    fromFields: (f, h) => ({
      ...h, kind: 'peer.conflict', peer: peer(f), cable: f.id('cable', parseCableId), envelopeHash: hash(f, 'envelopeHash'),
      ...(f.has('storedHash') ? { storedHash: hash(f, 'storedHash') } : {}),
    }),
  },
  'peer.fork': {
    required: ['peer', 'size', 'root', 'otherSize', 'otherRoot'],
    optional: [],
    toCbor: (e) => ({ peer: e.peer, size: e.size, root: e.root, otherSize: e.otherSize, otherRoot: e.otherRoot }),
    fromFields: (f, h) => ({
      ...h, kind: 'peer.fork', peer: peer(f), size: f.uint('size'), root: hash(f, 'root'), otherSize: f.uint('otherSize'), otherRoot: hash(f, 'otherRoot'),
    }),
  },
};
