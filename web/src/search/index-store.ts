// The full-text index at rest: one AES-256-GCM blob in its own IndexedDB database (`chancery-search`), under a key
// derived (HKDF-SHA256) from the device's X-Wing seed, which is in memory only while the passkey has unlocked the
// device — so the index is readable exactly when the device is. The key is non-extractable; the blob's additional
// data binds it to `user/device/node`.
import { utf8 } from '../../../src/bytes.ts';
import type { Session } from '../../../src/client/session.ts';
import type { IndexSnapshot } from './text-index.ts';

const DATABASE = 'chancery-search';
const STORE = 'index';
const INFO = utf8('chancery/web-search-index/v1');
const IV_LENGTH = 12;

/** What is stored under `user/device/node`. */
export interface SealedIndex {
  readonly iv: Uint8Array;
  readonly sealed: Uint8Array;
}

function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export function labelOf(s: Session): string {
  return `${s.keys.user}/${s.keys.device}/${s.keys.node}`;
}

/** The index key of this unlocked device (derive it while the seed is in memory: `close` wipes it). */
export async function indexKey(s: Session): Promise<CryptoKey> {
  // A closed session's seed is wiped to zeros: a key from it would open nothing and overwrite the real index.
  if (s.keys.encryptionSeed.every((b) => b === 0)) throw new Error('the device is locked: the search index cannot be opened');
  const ikm = await crypto.subtle.importKey('raw', buffer(s.keys.encryptionSeed), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: buffer(utf8(labelOf(s))), info: buffer(INFO) }, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

let opened: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DATABASE, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => {
      opened = null;
      reject(r.error ?? new Error('the search index database could not be opened'));
    };
  });
  return opened;
}

async function transact<T>(mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = (await database()).transaction(STORE, mode);
  const r = act(tx.objectStore(STORE));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('search index transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('search index transaction aborted'));
  });
  return r.result;
}

export async function saveIndex(key: CryptoKey, label: string, snapshot: IndexSnapshot): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: buffer(utf8(label)) }, key, buffer(utf8(JSON.stringify(snapshot)))));
  const record: SealedIndex = { iv, sealed };
  await transact('readwrite', (s) => s.put(record, label));
}

/** Drops the indexes of devices this browser no longer holds (re-enrolled): their keys are gone, so they are noise. */
async function forgetOthers(label: string): Promise<void> {
  const keys = await transact('readonly', (s) => s.getAllKeys());
  for (const k of keys) if (k !== label) await transact('readwrite', (s) => s.delete(k));
}

/** The stored snapshot (still to be parsed), or null when none is stored or it does not open under this key. */
export async function loadIndex(key: CryptoKey, label: string): Promise<unknown> {
  await forgetOthers(label);
  const record = (await transact('readonly', (s) => s.get(label))) as SealedIndex | undefined;
  if (!record || !(record.iv instanceof Uint8Array) || !(record.sealed instanceof Uint8Array)) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buffer(record.iv), additionalData: buffer(utf8(label)) }, key, buffer(record.sealed));
    return JSON.parse(new TextDecoder().decode(plain)) as unknown;
  } catch {
    // Another device's keys or an altered blob: the index is only a cache of what this device read, so start anew.
    return null;
  }
}
