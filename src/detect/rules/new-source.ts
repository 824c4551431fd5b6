// new_device_or_network: the first read from a device or network (/24) the user had not used. Alone it is travel or
// a new laptop as often as an intruder, so it asks for a fresh passkey assertion and stays low.
import type { Rule } from './rule.ts';

export const newDeviceOrNetwork: Rule = ({ index, read }) =>
  read?.firstReadOnNewSource ? { rule: 'new_device_or_network', severity: 'low', action: 'step_up', evidence: [index] } : undefined;
