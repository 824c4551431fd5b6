// The public API of the cable module: the model, its limits, identifiers, DTGs, validation, canonical encoding and
// telegram rendering. Pure: no I/O and no node: imports, so it runs in Node and in the browser alike.
export { Classifications, Precedences } from './types.ts';
export type {
  Attachment,
  Cable,
  CableId,
  Classification,
  DeviceId,
  Marking,
  NodeName,
  OfficeCode,
  Precedence,
  ProtectedPart,
  RoutingHeader,
  UserId,
} from './types.ts';
export { CableLimits, CablePatterns } from './limits.ts';
export { IssueCodes } from './issue-codes.ts';
export type { IssueCode } from './issue-codes.ts';
export {
  formatCableId,
  isCableId,
  isDeviceId,
  isNodeName,
  isOfficeCode,
  isUserId,
  parseCableId,
  parseDeviceId,
  parseNodeName,
  parseOfficeCode,
  parseUserId,
  splitCableId,
} from './ids.ts';
export type { CableIdParts } from './ids.ts';
export { MonthAbbreviations, dtgFromDate, dtgToDate, formatDtg, parseAcpDtg, parseDtg, renderAcpDtg } from './dtg.ts';
export type { DtgParts } from './dtg.ts';
export {
  assertValidCable,
  assertValidProtectedPart,
  assertValidRoutingHeader,
  validateCable,
  validateProtectedPart,
  validateRoutingHeader,
} from './validate.ts';
export { CableFormatVersion, decodeProtectedPart, decodeRoutingHeader, encodeProtectedPart, encodeRoutingHeader } from './codec.ts';
export { renderMarking, renderTelegram } from './telegram.ts';
