// The sign-in screen: which node this is and the passkey prompt. Passkeys themselves come later (issue 6), so the
// button is present but disabled, and says why.
import { useEffect, useState } from 'preact/hooks';
import { fetchNodeInfo, type NodeInfo } from '../node-info.ts';

type NodeState = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly info: NodeInfo } | { readonly kind: 'failed' };

function useNodeInfo(): NodeState {
  const [state, setState] = useState<NodeState>({ kind: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetchNodeInfo(abort.signal).then(
      (info) => setState({ kind: 'ready', info }),
      () => {
        if (!abort.signal.aborted) setState({ kind: 'failed' });
      },
    );
    return () => abort.abort();
  }, []);
  return state;
}

function NodeLine({ state }: { readonly state: NodeState }) {
  switch (state.kind) {
    case 'loading':
      return <p class="node-line" aria-busy="true">Connecting to the node…</p>;
    case 'failed':
      return <p class="node-line error" role="alert">This node could not be reached. Check your connection and reload the page.</p>;
    case 'ready':
      return (
        <p class="node-line">
          Node <strong data-testid="node-name">{state.info.node}</strong>, organisation {state.info.org}
        </p>
      );
  }
}

/** The first screen: heading, node, and the (not yet active) passkey button. */
export function SignIn() {
  const state = useNodeInfo();
  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Chancery — sign in with your passkey</h1>
      <NodeLine state={state} />
      <button type="button" class="primary" disabled aria-describedby="passkey-note">
        Sign in with a passkey
      </button>
      <p id="passkey-note" class="note">
        Passkey sign-in is not available yet on this node. Chancery never asks for a password.
      </p>
    </section>
  );
}
