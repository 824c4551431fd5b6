// A few promises over IndexedDB, the only storage a browser device has that survives a reload and can hold bytes.
// One database, `chancery`, with one object store per kind of record; keys are strings.

const DATABASE = 'chancery';
const VERSION = 1;
/** The object stores: the enrolled device(s) and the log checkpoints this device verified. */
export const Stores = { device: 'device', checkpoints: 'checkpoints' } as const;
export type StoreName = (typeof Stores)[keyof typeof Stores];

let opened: Promise<IDBDatabase> | null = null;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DATABASE, VERSION);
    r.onupgradeneeded = () => {
      for (const name of Object.values(Stores)) if (!r.result.objectStoreNames.contains(name)) r.result.createObjectStore(name);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => {
      opened = null;
      reject(r.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opened;
}

async function run<T>(store: StoreName, mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  const tx = db.transaction(store, mode);
  const result = request(act(tx.objectStore(store)));
  // A write is done when its transaction commits, not when its request succeeds.
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  return result;
}

export async function idbGet<T>(store: StoreName, key: string): Promise<T | undefined> {
  return (await run(store, 'readonly', (s) => s.get(key))) as T | undefined;
}

export async function idbPut(store: StoreName, key: string, value: unknown): Promise<void> {
  await run(store, 'readwrite', (s) => s.put(value, key));
}

export async function idbDelete(store: StoreName, key: string): Promise<void> {
  await run(store, 'readwrite', (s) => s.delete(key));
}
