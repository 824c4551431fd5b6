// What a security officer's screens know of canaries (docs/detection.md "Canaries"): an officer who opens one is
// frozen like anyone, so the inbox marks them and the reader asks before opening one. Only officers ask — the node
// refuses anyone else (403), and an ordinary user's client must not even know the list exists. Fetched once a
// minute at most per session: an officer's inbox and reader need not wait for it each time.
import { useEffect, useState } from 'preact/hooks';
import { listCanaries } from '../../../src/client/canaries.ts';
import type { Session } from '../../../src/client/session.ts';

const FRESH_MS = 60_000;
const fetched = new WeakMap<Session, { readonly at: number; readonly list: Promise<ReadonlySet<string>> }>();

/** The cable ids marked as canaries, as this officer's node lists them. */
export function officerCanaries(session: Session): Promise<ReadonlySet<string>> {
  const known = fetched.get(session);
  if (known && Date.now() - known.at < FRESH_MS) return known.list;
  const list = listCanaries(session).then((l) => new Set(l.map((c) => c.cable)) as ReadonlySet<string>);
  fetched.set(session, { at: Date.now(), list });
  // A failed fetch is not remembered: the next screen asks again.
  list.catch(() => {
    if (fetched.get(session)?.list === list) fetched.delete(session);
  });
  return list;
}

/** For an officer, the canaries (null while loading or if the node would not say); for anyone else, always null. */
export function useCanaries(session: Session, officer: boolean): ReadonlySet<string> | null {
  const [canaries, setCanaries] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    if (!officer) return;
    let live = true;
    officerCanaries(session).then(
      (set) => live && setCanaries(set),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, officer]);
  return officer ? canaries : null;
}
