// Shared fixtures of the log tests: the RFC 6962 reference leaves, trees built from them, and an error matcher.
import assert from 'node:assert/strict';
import { fromHex, i2osp } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { LogError, type ErrorCode } from '../../src/errors.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';

/**
 * The eight leaf inputs of the Certificate Transparency reference tree (transparency-dev/merkle
 * testonly/constants.go, from the RFC 6962 test data): the tree every transparency-dev vector in directories 1–4 uses.
 */
export const REFERENCE_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);

/** MTH of the first n reference leaves, n = 1..8 (transparency-dev testonly/constants.go RootHashes). */
export const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** The entries of a generated tree: leaf i is the 8-byte big-endian i (all distinct, so no two hashes collide). */
export function entry(i: number): Uint8Array {
  return i2osp(i, 8);
}

/** A MemoryTree of `size` entries `entry(0..size-1)`, or of the given entries. */
export function buildTree(p: CryptoProvider, size: number, entries: readonly Uint8Array[] = []): MemoryTree {
  const tree = new MemoryTree(p);
  for (let i = 0; i < size; i++) tree.append(leafHash(p, entries[i] ?? entry(i)));
  return tree;
}

/** True when `e` is a LogError with one of `codes`. */
export function isLogError(e: unknown, ...codes: ErrorCode[]): boolean {
  return e instanceof LogError && (codes.length === 0 || codes.includes(e.code));
}

/** Asserts that `run` throws a LogError with one of `codes` (and nothing else). */
export function throwsLog(run: () => unknown, codes: ErrorCode[], what?: string): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(isLogError(e, ...codes), `${what ?? ''}: expected LogError(${codes.join('|')}), got ${String(e)}`);
    return true;
  });
}

/** Asserts that `run` rejects with a LogError with one of `codes`. */
export async function rejectsLog(run: Promise<unknown>, codes: ErrorCode[], what?: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(isLogError(e, ...codes), `${what ?? ''}: expected LogError(${codes.join('|')}), got ${String(e)}`);
    return true;
  });
}

/** A copy of `bytes` with byte `at` XORed with `xor` (non-zero). */
export function flipByte(bytes: Uint8Array, at: number, xor = 0x01): Uint8Array {
  const out = bytes.slice();
  out[at] = out[at]! ^ xor;
  return out;
}
