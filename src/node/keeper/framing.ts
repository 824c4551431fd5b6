// Frames of the keeper's protocol: a 4-byte big-endian length, then that many bytes of canonical CBOR. A stream
// socket delivers bytes in arbitrary chunks; the reader reassembles them and refuses a frame over its cap before
// buffering it, so a peer cannot make either process hold more than one frame's worth.
import { concatBytes } from '../../bytes.ts';
import { DecodeError } from '../../errors.ts';

const PREFIX = 4;

/**
 * One frame around `payload`.
 *
 * @example
 * ```ts
 * socket.write(frame(encodeRequest(id, { op: 'hello' })));
 * ```
 */
export function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, PREFIX);
  return out;
}

/** Reassembles frames from a byte stream; `encoding.too_large` for one over `maxFrameBytes`. */
export class FrameReader {
  readonly #max: number;
  #pending: Uint8Array = new Uint8Array(0);

  constructor(maxFrameBytes: number) {
    this.#max = maxFrameBytes;
  }

  /** The frames `chunk` completes, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.#pending = this.#pending.length === 0 ? chunk.slice() : concatBytes(this.#pending, chunk);
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.#pending.length < PREFIX) return frames;
      const length = new DataView(this.#pending.buffer, this.#pending.byteOffset).getUint32(0);
      if (length > this.#max) throw new DecodeError('encoding.too_large', `keeper frame of ${length} bytes exceeds ${this.#max}`);
      if (this.#pending.length < PREFIX + length) return frames;
      frames.push(this.#pending.slice(PREFIX, PREFIX + length));
      this.#pending = this.#pending.subarray(PREFIX + length);
    }
  }
}
