// How the persona events (persona-events.ts) map to and from CBOR; merged into KIND_SPECS by event-fields.ts.
import { parseOfficeCode, parseUserId } from '../cable/ids.ts';
import type { EntryOf } from './event-types.ts';
import type { PersonaKinds } from './persona-events.ts';
import type { KindSpec } from './event-fields.ts';

type Specs = { readonly [K in (typeof PersonaKinds)[number]]: KindSpec<EntryOf<K>> };

export const PERSONA_SPECS: Specs = {
  'persona.declared': {
    required: ['persona', 'office', 'officer'],
    optional: [],
    toCbor: (e) => ({ persona: e.persona, office: e.office, officer: e.officer }),
    fromFields: (f, h) => ({
      ...h, kind: 'persona.declared', persona: f.id('persona', parseUserId), office: f.id('office', parseOfficeCode), officer: f.id('officer', parseUserId),
    }),
  },
};
