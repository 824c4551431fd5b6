// Loading what a panel shows: the data, or the error in words, and a reload after an action changed it. A session
// the node ended goes back to the sign-in screen (as useTask does for actions).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError, isSessionEnd } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import type { Session } from '../../../src/client/session.ts';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: (s: Session) => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const app = useApp();
  const { session } = app.device;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load(session).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        if (isSessionEnd(e)) app.sessionEnded(describeError(e));
        setError(describeError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [session, app, round, ...deps]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** A time for a table cell: UTC, to the minute, as cables are dated. */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
