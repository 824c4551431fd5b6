#!/usr/bin/env node
// Entry point of the `chancery` command: runs the TypeScript CLI through tsx so no build step stands between a checkout and a working node.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
