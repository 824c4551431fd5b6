// Passkey rows (src/store/web-auth.ts) in SQLite.
import type { WebAuthStoreTx } from '../web-auth.ts';
import type { Sql } from './sql.ts';

/** The WebAuthStoreTx methods over one connection's statements. */
export function webAuthTx(_s: () => Sql): WebAuthStoreTx {
  return {};
}
