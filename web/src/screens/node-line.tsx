// Which node served this page, as it says (GET /api/v1/node; verified against the pinned root only once a device
// session opens): shown on the screens outside the workspace.
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

export function NodeLine() {
  const state = useNodeInfo();
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
