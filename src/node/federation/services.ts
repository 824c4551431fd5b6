// The node's federation background work, started after the node listens (its URL is then known) and stopped
// before the store closes: the outbox worker (outbox-worker.ts), the peers' office directory (directory-sync.ts)
// and checkpoint gossip (gossip.ts). Each service is one module with a `start…(node) → Service` function.
import type { NodeContext } from '../node-context.ts';
import { startDirectorySync } from './directory-sync.ts';
import { startGossip } from './gossip.ts';
import { startOutbox } from './outbox-worker.ts';

export interface Service {
  stop(): Promise<void>;
}

type Starter = (node: NodeContext) => Service;

/** The services in start order; each module adds its own starter here. */
const STARTERS: readonly Starter[] = [(node) => startDirectorySync(node), (node) => startOutbox(node, node.federation?.outbox), (node) => startGossip(node)];

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
