// Every CryptoProvider implementation, for tests that must hold for each of them (published vectors, cross-checks).
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { webProvider } from '../../src/crypto/web-provider.ts';

/** node:crypto, pure-JavaScript noble, and WebCrypto — in that order. */
export const providers: readonly CryptoProvider[] = [nodeProvider, nobleProvider, webProvider];
