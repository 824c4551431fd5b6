// The node's federation background work, started after the node listens (its URL is then known) and stopped
// before the store closes: the outbox worker (outbox-worker.ts), the peers' office directory (directory-sync.ts)
// and checkpoint gossip (gossip.ts). Each service is one module with a `start…(node) → Service` function.
import type { NodeContext } from '../node-context.ts';
import { startDirectorySync } from './directory-sync.ts';
import { startGossip, type ForkReport } from './gossip.ts';
import { toHex } from '../../bytes.ts';
import { startOutbox } from './outbox-worker.ts';

export interface Service {
  stop(): Promise<void>;
}

type Starter = (node: NodeContext) => Service;

/** The services in start order; each module adds its own starter here. */
const STARTERS: readonly Starter[] = [(node) => startDirectorySync(node), (node) => startOutbox(node, node.federation?.outbox), (node) => startGossip(node, { onFork: (fork) => raiseFork(node, fork) })];

/** A fork is an alert on every honest node that sees it: the webhook gets both checkpoints' sizes and roots. */
function raiseFork(node: NodeContext, fork: ForkReport): void {
  const head = (h: ForkReport['ours']) => `${h.checkpoint.size}:${toHex(h.checkpoint.root)}`;
  node.federation?.alert({ rule: 'peer_fork', peer: fork.node, evidence: [head(fork.ours), head(fork.other), `via ${fork.via}`] });
}

/** Starts every federation service of a node that has a federation context; `stop` stops them in reverse. */
export function startFederation(node: NodeContext, extra: readonly Starter[] = []): Service {
  if (!node.federation) return { stop: async () => {} };
  const running = [...STARTERS, ...extra].map((start) => start(node));
  return {
    async stop() {
      for (const s of running.reverse()) await s.stop();
    },
  };
}
