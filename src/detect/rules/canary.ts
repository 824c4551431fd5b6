// canary: a decoy cable nobody with a real need opens; any opening is high and freezes at once.
import type { Rule } from './rule.ts';

export const canary: Rule = ({ event, index }) =>
  event.kind === 'read' && event.canary === true ? { rule: 'canary', severity: 'high', action: 'freeze', evidence: [index] } : undefined;
