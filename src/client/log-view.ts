// A device's view of its node's audit log (issue 4 "No unlogged decryption"; docs/node.md "The audit log"): the log
// key, pinned beside the organisation root on first use, and the last checkpoint this device verified, kept in
// its client configuration. Every newer (or older) checkpoint it is shown must be consistent with that one — a
// consistency proof fetched from the node — or the device refuses it: a node that shows it a history other than
// the one it saw before is caught at the next read.
import { concatBytes, equalBytes, fromBase64, toHex, utf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { HybridLengths, type HybridPublicKey } from '../crypto/hybrid-signature.ts';
import { DecodeError, LogError, VerificationError } from '../errors.ts';
import { checkpointPolicy, openCheckpoint, verifyCheckpointConsistency, type Checkpoint, type CheckpointPolicy } from '../log/checkpoint.ts';
import { NoteLimits } from '../log/note.ts';
import type { NodeHttp } from './http.ts';
import { fieldsOf, listIn } from './wire.ts';

/** The node's audit log as this device trusts it: origin, public key, the policy checkpoints must meet, and the pin. */
export interface NodeLog {
  readonly origin: string;
  readonly publicKey: HybridPublicKey;
  readonly policy: CheckpointPolicy;
  /** `logKeyFingerprint` of the above: what the client configuration pins. */
  readonly fingerprint: string;
}

const FINGERPRINT_LABEL = 'chancery/v1 log-key';
/** Most hashes a proof of a log of up to 2^53 − 1 entries has: ⌈log₂ n⌉ + 1. */
const MAX_PROOF_HASHES = 64;

/**
 * The pin of a log key: hex SHA-256("chancery/v1 log-key" ‖ 0x00 ‖ origin ‖ 0x00 ‖ Ed25519 key ‖ ML-DSA-65 key). The
 * keys have fixed lengths, and a note key name holds no 0x00, so the preimage splits one way only.
 *
 * @example
 * ```ts
 * const pin = logKeyFingerprint(p, 'chancery/EEAS', publicKey);
 * ```
 */
export function logKeyFingerprint(p: CryptoProvider, origin: string, publicKey: HybridPublicKey): string {
  return toHex(p.sha256(concatBytes(utf8(FINGERPRINT_LABEL), Uint8Array.of(0), utf8(origin), Uint8Array.of(0), publicKey.ed25519, publicKey.mlDsa65)));
}

/** Reads the `log` of GET /api/v1/node: its origin and both public keys (the verifier-key texts are for other tools). */
export function parseNodeLog(p: CryptoProvider, value: unknown): NodeLog {
  const f = fieldsOf('node log', value, ['origin', 'publicKey'], ['verifierKeys']);
  const origin = f.token('origin', 256);
  const k = f.map('publicKey', ['ed25519', 'mlDsa65']);
  const key = (name: 'ed25519' | 'mlDsa65', length: number) => {
    const text = k.token(name, Math.ceil(length / 3) * 4 + 4);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text);
    } catch (cause) {
      throw new DecodeError('encoding.malformed', `node log: ${name} must be base64`, { cause });
    }
    if (bytes.length !== length) throw new DecodeError('encoding.malformed', `node log: ${name} must be ${length} bytes`);
    return bytes;
  };
  const publicKey = { ed25519: key('ed25519', HybridLengths.ed25519Public), mlDsa65: key('mlDsa65', HybridLengths.mlDsa65Public) };
  return { origin, publicKey, policy: checkpointPolicy(p, origin, publicKey), fingerprint: logKeyFingerprint(p, origin, publicKey) };
}

/** A signed note as the node sends it in JSON: text, capped as the note parser caps it. */
export function noteText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > NoteLimits.maxBytes) throw new DecodeError('encoding.malformed', `${what} must be a signed note`);
  return value;
}

/** A proof on the wire: a list of base64 hashes (their length is checked by the verifier). */
export function proofOf(what: string, value: unknown, key: string): Uint8Array[] {
  return listIn(what, value, key, MAX_PROOF_HASHES).map((item) => {
    if (typeof item !== 'string' || item.length > 64) throw new DecodeError('encoding.malformed', `${what}: ${key} must hold base64 hashes`);
    try {
      return fromBase64(item);
    } catch (cause) {
      throw new DecodeError('encoding.malformed', `${what}: ${key} must hold base64 hashes`, { cause });
    }
  });
}

/** What a device keeps of the log between sessions; `save` receives the note of each newer checkpoint it accepts. */
export interface LogMemory {
  /** The last checkpoint verified, as its signed note (`undefined`: none yet). */
  readonly lastCheckpoint?: string;
  save?(lastCheckpoint: string): Promise<void>;
}

interface Accepted {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

type Save = (note: string) => Promise<void>;

/** One device's view of one node's log: the pinned key and the last checkpoint it accepted. */
export class LogView {
  readonly log: NodeLog;
  readonly #p: CryptoProvider;
  readonly #http: NodeHttp;
  readonly #save: Save | undefined;
  #last: Accepted | null;
  /** Checkpoints are accepted one at a time, each against the one accepted before it. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(p: CryptoProvider, http: NodeHttp, log: NodeLog, last: Accepted | null, save: Save | undefined) {
    this.#p = p;
    this.#http = http;
    this.log = log;
    this.#last = last;
    this.#save = save;
  }

  /**
   * A view starting from the remembered checkpoint, which must still verify under the pinned key (a file edited
   * or copied from another node's device is refused: `log.bad_signature`, `log.bad_checkpoint`).
   */
  static async open(p: CryptoProvider, http: NodeHttp, log: NodeLog, memory: LogMemory = {}): Promise<LogView> {
    let last: Accepted | null = null;
    if (memory.lastCheckpoint !== undefined) {
      const note = memory.lastCheckpoint;
      last = { checkpoint: await openCheckpoint(p, utf8(note), log.policy), note };
    }
    const save = memory.save?.bind(memory);
    return new LogView(p, http, log, last, save);
  }

  /** The last checkpoint this device accepted, or null. */
  get last(): Checkpoint | null {
    return this.#last?.checkpoint ?? null;
  }

  /**
   * Accepts a checkpoint already opened under `log.policy`: it must be consistent with the last one accepted
   * (a consistency proof from the node, RFC 9162 §2.1.4.2, whichever is older), else `log.inconsistent` (or
   * `log.bad_proof`). A newer one becomes the last, and is saved.
   */
  accept(checkpoint: Checkpoint, note: string): Promise<void> {
    const run = this.#queue.then(() => this.#accept(checkpoint, note));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #accept(checkpoint: Checkpoint, note: string): Promise<void> {
    const last = this.#last?.checkpoint;
    if (last) {
      if (checkpoint.size === last.size) {
        if (!equalBytes(checkpoint.root, last.root)) throw new LogError('log.inconsistent', `two different trees of ${last.size} entries: the log forked`);
        return;
      }
      const [older, newer] = checkpoint.size > last.size ? [last, checkpoint] : [checkpoint, last];
      verifyCheckpointConsistency(this.#p, older, newer, older.size === 0 ? [] : await this.#consistencyProof(older.size, newer.size));
      if (checkpoint.size < last.size) return;
    }
    this.#last = { checkpoint, note };
    await this.#save?.(note);
  }

  async #consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    const body = await this.#http.get('/api/v1/log/consistency', { from: String(from), to: String(to) });
    const f = fieldsOf('consistency', body, ['from', 'to', 'proof']);
    if (f.uint('from') !== from || f.uint('to') !== to) throw new VerificationError('verify.record_invalid', 'the node answered a consistency proof of other sizes');
    return proofOf('consistency', body, 'proof');
  }
}
