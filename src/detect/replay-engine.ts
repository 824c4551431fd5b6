// The V8 settings a replay runs under (docs/decisions/020-replay-inlining-budget.md). The detector's hot path is a
// few large functions (pushLine, judge, readFacts, learn) calling many small ones with doubles (times, weights,
// inflation): under V8's default inlining budget (460 bytes of bytecode a callee, 920 in all per function) most of
// those calls stay calls, and every double that crosses one is boxed on the heap, about 500 bytes of garbage an
// event. A larger budget lets the optimiser inline them: about a tenth more events a second, the same alerts.
import { setFlagsFromString } from 'node:v8';

let tuned = false;

/** Raises V8's inlining budget for the rest of the process (once; the replay's functions are optimised after). */
export function tuneEngineForReplay(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--max-inlined-bytecode-size=800');
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=3000');
}
