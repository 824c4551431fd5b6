// The service worker's pins (docs/web-integrity.md): the organisation root's and the log key's fingerprints, set
// once at enrollment and kept in the worker's own IndexedDB database, beside the last log checkpoint it accepted. Never replaced: a page (or a script a hostile
// node slipped into one) cannot re-pin the worker to another root.
import type { IntegrityPins } from './verify-release.ts';

const DATABASE = 'chancery-integrity';
const STORE = 'pins';
const KEY = 'pins';
const CHECKPOINT = 'checkpoint';
const HEX64 = /^[0-9a-f]{64}$/;

/** The pins a message carries, or null if it carries none well formed. */
export function pinsOf(value: unknown): IntegrityPins | null {
  if (typeof value !== 'object' || value === null) return null;
  const { rootFingerprint, logKeyFingerprint } = value as Record<string, unknown>;
  if (typeof rootFingerprint !== 'string' || typeof logKeyFingerprint !== 'string') return null;
  if (!HEX64.test(rootFingerprint) || !HEX64.test(logKeyFingerprint)) return null;
  return { rootFingerprint, logKeyFingerprint };
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB: open failed'));
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB: request failed'));
  });
}

/** The note of the last audit log checkpoint the worker accepted (log-history.ts), or null. */
export async function loadCheckpoint(): Promise<string | null> {
  const db = await open();
  try {
    const note: unknown = await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(CHECKPOINT));
    return typeof note === 'string' ? note : null;
  } finally {
    db.close();
  }
}

export async function saveCheckpoint(note: string): Promise<void> {
  const db = await open();
  try {
    await done(db.transaction(STORE, 'readwrite').objectStore(STORE).put(note, CHECKPOINT));
  } finally {
    db.close();
  }
}

export async function loadPins(): Promise<IntegrityPins | null> {
  const db = await open();
  try {
    return pinsOf(await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY)));
  } finally {
    db.close();
  }
}

/**
 * Stores the pins if none are stored; returns the pins in force afterwards. `add` fails on an existing key, so two
 * racing messages cannot both win.
 */
export async function pinOnce(pins: IntegrityPins): Promise<IntegrityPins> {
  const db = await open();
  try {
    const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
    const stored = pinsOf(await done(store.get(KEY)));
    if (stored !== null) return stored;
    await done(store.add({ ...pins }, KEY));
    return pins;
  } finally {
    db.close();
  }
}
