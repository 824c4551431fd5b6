// Running one asynchronous action from a screen: busy while it runs, its error in words, and a session the node
// ended (idle timeout, sign-out elsewhere) sent back to the sign-in screen instead of shown as an error.
import { useCallback, useState } from 'preact/hooks';
import { RemoteError } from '../../../src/client/http.ts';
import { useApp } from '../device-context.ts';

const SESSION_CODES = new Set(['auth.session_required', 'auth.session_expired']);

export interface Task<A extends unknown[], R> {
  readonly busy: boolean;
  readonly error: string | null;
  run(...args: A): Promise<R | undefined>;
  clearError(): void;
}

/** Words for an error a user can act on: the node's message (with its code) or the browser's. */
export function describeError(error: unknown): string {
  if (error instanceof RemoteError) {
    const reasons = error.reasons.map((r) => r.message).join('; ');
    return `${error.message}${reasons ? ` — ${reasons}` : ''} (${error.code})`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isSessionEnd(error: unknown): boolean {
  return error instanceof RemoteError && SESSION_CODES.has(error.code);
}

export function useTask<A extends unknown[], R>(action: (...args: A) => Promise<R>): Task<A, R> {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        return await action(...args);
      } catch (e) {
        if (isSessionEnd(e)) app.sessionEnded(describeError(e));
        else setError(describeError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action, app],
  );
  return { busy, error, run, clearError: () => setError(null) };
}
