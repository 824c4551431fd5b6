// The keeper's checkpoint signing (docs/node.md "Deployment"): the web process names a tree size and nothing else.
// The keeper recomputes that tree's root from the store's subtree hashes (RFC 9162 §2.1.1), proves it consistent
// with the last head it signed itself (§2.1.4, from the same hashes), and only then signs — so a compromised web
// process, even one that rewrites the store, cannot get two roots signed for one size, a smaller tree signed after a
// larger one, or any history that does not extend the one already signed. Signings run one at a time.
import { equalBytes, utf8 } from '../../bytes.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { LogError } from '../../errors.ts';
import { openCheckpoint, parseCheckpoint, type CheckpointPolicy } from '../../log/checkpoint.ts';
import { parseNote } from '../../log/note.ts';
import { consistencyProof, treeRoot, verifyConsistency } from '../../log/proofs.ts';
import { logHashes, type Store } from '../../store/store.ts';
import type { CheckpointSigner } from '../node-context.ts';
import { readSignedHead, writeSignedHead, type SignedHead } from './signed-head.ts';

/** How old the last signed head may be before the same head is signed again with a new time: 30 s. */
export const HEAD_REFRESH_MS = 30_000;

/** Whether the note's signing time (its `time` line) is more than `ms` ago, or unknown. */
function olderThan(note: Uint8Array, ms: number): boolean {
  const time = parseCheckpoint(parseNote(note).text).time;
  return time === undefined || Date.now() - time > ms;
}

function inconsistent(message: string): LogError {
  return new LogError('log.inconsistent', `the keeper refuses to sign: ${message}`);
}

/** What a tree of `size` entries looks like in the store now, and its proof from `head` (if any). */
interface StoredTree {
  readonly root: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export class HeadSigner {
  readonly #p: CryptoProvider;
  readonly #store: Store;
  readonly #signer: CheckpointSigner;
  readonly #path: string;
  #head: SignedHead | null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(p: CryptoProvider, store: Store, signer: CheckpointSigner, path: string, head: SignedHead | null) {
    this.#p = p;
    this.#store = store;
    this.#signer = signer;
    this.#path = path;
    this.#head = head;
  }

  /**
   * The signer over the keeper's head file at `path`. Without one (a node's first keeper), it starts from the
   * store's latest checkpoint, if its signature holds under `policy` (the log key's own), and writes it down.
   */
  static async open(p: CryptoProvider, store: Store, signer: CheckpointSigner, policy: CheckpointPolicy, path: string): Promise<HeadSigner> {
    let head = readSignedHead(path);
    if (!head) {
      const latest = store.transaction((tx) => tx.latestCheckpoint());
      if (latest) {
        const note = utf8(latest.note);
        const opened = await openCheckpoint(p, note, policy);
        head = { size: opened.size, root: opened.root, note };
        writeSignedHead(path, head);
      }
    }
    return new HeadSigner(p, store, signer, path, head);
  }

  /** The last head signed (or adopted at the start), or null before the first. */
  get head(): SignedHead | null {
    return this.#head;
  }

  /**
   * The signed note of the log's first `size` entries. The same size again gets the same note (a web process that
   * crashed before storing it asks again); a size beyond the log is `log.out_of_range`; a smaller tree than the
   * last signed, another root for its size, or a tree the store cannot prove extends it is `log.inconsistent`.
   *
   * @example
   * ```ts
   * const note = await heads.checkpoint(logSize);
   * ```
   */
  checkpoint(size: number): Promise<Uint8Array> {
    const next = this.#queue.then(() => this.#sign(size));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #sign(size: number): Promise<Uint8Array> {
    const head = this.#head;
    if (head && size < head.size) throw inconsistent(`a tree of ${size} entries after one of ${head.size}`);
    const tree = this.#read(size, head);
    if (head && size === head.size) {
      if (!equalBytes(tree.root, head.root)) throw inconsistent(`another root for the ${size} entries it signed`);
      // The same head signed again with a new time once the last is a little old: clients bound the age of their
      // view of the log (src/client/key-transparency.ts), and an idle log must still be able to show a fresh one.
      if (!olderThan(head.note, HEAD_REFRESH_MS)) return head.note;
    }
    if (head && head.size > 0 && size > head.size) {
      try {
        verifyConsistency(this.#p, { size1: head.size, size2: size, root1: head.root, root2: tree.root, proof: tree.proof });
      } catch (error) {
        if (error instanceof LogError) throw inconsistent(`the stored log of ${size} entries does not extend the ${head.size} it signed`);
        throw error;
      }
    }
    const note = await this.#signer.sign(size, tree.root);
    const signed = { size, root: tree.root, note };
    // On disk before the note leaves: a keeper restarted after answering must still know what it signed.
    writeSignedHead(this.#path, signed);
    this.#head = signed;
    return note;
  }

  #read(size: number, head: SignedHead | null): StoredTree {
    return this.#store.transaction((tx) => {
      if (!Number.isSafeInteger(size) || size < 0 || size > tx.logSize()) throw new LogError('log.out_of_range', 'the log is not that large');
      const hashes = logHashes(tx);
      try {
        const proof = head && head.size > 0 && size > head.size ? consistencyProof(this.#p, hashes, head.size, size) : [];
        return { root: treeRoot(this.#p, hashes, size), proof };
      } catch (error) {
        // Hashes missing from a log that claims the size: the store was damaged or rewritten.
        if (error instanceof LogError) throw inconsistent(`the store cannot compute the tree of ${size} entries`);
        throw error;
      }
    });
  }
}
