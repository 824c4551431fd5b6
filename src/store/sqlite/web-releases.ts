// Web release rows (src/store/web-releases.ts) in SQLite.
import type { WebReleaseStoreTx } from '../web-releases.ts';
import type { Sql } from './sql.ts';

/** The WebReleaseStoreTx methods over one connection's statements. */
export function webReleaseTx(_s: () => Sql): WebReleaseStoreTx {
  return {};
}
