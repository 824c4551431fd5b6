// The offices a cable may be addressed to: those this node hosts and, when the node lists peers, theirs (each with
// its ceiling and communities, which the policy checks read). A peer listing that fails leaves the local offices.
import { useEffect, useState } from 'preact/hooks';
import { listOffices, type Office } from '../../../src/client/directory.ts';
import { listPeers } from '../../../src/client/peer-directory.ts';
import { useApp } from '../device-context.ts';
import { describeError, isSessionEnd } from '../components/use-task.ts';

export interface OfficeListing {
  readonly offices: readonly Office[];
  readonly loading: boolean;
  readonly error: string | null;
  /** Why peers' offices are missing, if they are. */
  readonly peerNote: string | null;
}

export function useOffices(): OfficeListing {
  const app = useApp();
  const { session } = app.device;
  const [state, setState] = useState<OfficeListing>({ offices: [], loading: true, error: null, peerNote: null });
  useEffect(() => {
    let live = true;
    (async () => {
      const local = await listOffices(session);
      let peerNote: string | null = null;
      const remote = await listPeers(session).then(
        (peers) => peers.flatMap((p) => p.offices),
        (e: unknown) => {
          if (isSessionEnd(e)) throw e;
          peerNote = `offices of peer nodes are not listed: ${describeError(e)}`;
          return [] as Office[];
        },
      );
      const seen = new Set(local.map((o) => o.code));
      const offices = [...local, ...remote.filter((o) => !seen.has(o.code))].sort((a, b) => a.code.localeCompare(b.code));
      if (live) setState({ offices, loading: false, error: null, peerNote });
    })().catch((e: unknown) => {
      if (isSessionEnd(e)) app.sessionEnded(describeError(e));
      else if (live) setState({ offices: [], loading: false, error: describeError(e), peerNote: null });
    });
    return () => {
      live = false;
    };
  }, [session, app]);
  return state;
}
