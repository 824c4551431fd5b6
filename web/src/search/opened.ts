// The index of the cables this device opened, for the signed-in session: loaded (unsealed) once, added to by the
// reader after each opening — each a logged read the user asked for — and saved sealed, debounced. Nothing here
// fetches or opens a cable: search only ever sees what the user already read on this device.
import type { Cable } from '../../../src/cable/types.ts';
import type { Session } from '../../../src/client/session.ts';
import type { WebDevice } from '../device/web-device.ts';
import { indexKey, labelOf, loadIndex, saveIndex } from './index-store.ts';
import { TextIndex } from './text-index.ts';

const SAVE_AFTER_MS = 400;

interface Held {
  readonly ready: Promise<{ index: TextIndex; key: CryptoKey; label: string }>;
  timer: ReturnType<typeof setTimeout> | null;
  saving: Promise<void>;
}

// Keyed by the session: a new sign-in is a new session, and a closed one's index is dropped with it.
const held = new WeakMap<Session, Held>();

function holdFor(s: Session): Held {
  let h = held.get(s);
  if (!h) {
    const label = labelOf(s);
    const ready = indexKey(s).then(async (key) => {
      const stored = await loadIndex(key, label);
      let index = new TextIndex();
      if (stored !== null) {
        try {
          index = TextIndex.fromSnapshot(stored);
        } catch {
          // A malformed snapshot is a cache lost, not an error the user can act on.
        }
      }
      return { index, key, label };
    });
    h = { ready, timer: null, saving: Promise.resolve() };
    held.set(s, h);
  }
  return h;
}

/** This session's full-text index (empty until something is opened on this device). */
export function openedIndex(s: Session): Promise<TextIndex> {
  return holdFor(s).ready.then((r) => r.index);
}

function scheduleSave(h: Held): void {
  if (h.timer) clearTimeout(h.timer);
  h.timer = setTimeout(() => {
    h.timer = null;
    h.saving = h.saving.then(async () => {
      const { index, key, label } = await h.ready;
      await saveIndex(key, label, index.snapshot());
    }).catch(() => undefined);
  }, SAVE_AFTER_MS);
}

/** Resolves once any pending save has been written (the search screen's tests wait on it). */
export async function savedIndex(s: Session): Promise<void> {
  const h = held.get(s);
  if (!h) return;
  while (h.timer) await new Promise((r) => setTimeout(r, SAVE_AFTER_MS / 4));
  await h.saving;
}

/**
 * Adds a cable the user just opened on this device to the full-text index (subject and body; the routing fields
 * shown in results). Call it from the reader after `readCable` succeeded; it never throws — the index is a
 * convenience, and a failure to keep it must not disturb reading.
 */
export async function rememberOpened(device: WebDevice, cable: Cable): Promise<void> {
  try {
    const h = holdFor(device.session);
    const { index } = await h.ready;
    const r = cable.header;
    index.add({ id: r.id, dtg: r.dtg, precedence: r.precedence, classification: r.marking.classification, from: r.from, subject: cable.content.subject }, cable.content.body);
    scheduleSave(h);
  } catch {
    // Locked device or storage refused: the cable is still read; it just is not searchable by text here.
  }
}
