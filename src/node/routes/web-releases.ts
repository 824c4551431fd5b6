// Web releases (issue 6 "Client integrity"; docs/web-integrity.md): a security officer uploads the organisation
// root's signed record of a web app build; the node checks it against its own root, stores it and logs
// `web.released` in one write. Anyone may fetch a release by its manifest hash with the log entry's inclusion proof
// under the latest signed checkpoint: what the service worker checks before it lets a browser run a bundle.
import { fromHex, toHex } from '../../bytes.ts';
import { LogError, RequestError, VerificationError } from '../../errors.ts';
import { decodeWebRelease, verifyWebRelease } from '../../keys/web-release.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';
import { pinnedRoot } from '../trust.ts';

const RECORD_MAX_BYTES = 8 * 1024;

function manifestHashParam(text: string | undefined): Uint8Array {
  if (text === undefined || !/^[0-9a-f]{64}$/.test(text)) throw new RequestError('request.malformed', 'a manifest hash is 64 lower-case hexadecimal digits (SHA-256)');
  return fromHex(text);
}

const publish: Route = {
  method: 'POST',
  path: '/api/v1/web/releases',
  summary: "Publish a web release: the organisation root's signed record of a build's manifest hash, verified, stored and logged (web.released) in one write (security officers); a manifest released already: 200 {duplicate: true}, nothing logged again",
  auth: 'device',
  stepUp: true,
  async handle(node, input) {
    const caller = callerOf(input.caller);
    node.store.transaction((tx) => requireOfficer(tx, caller));
    const record = base64Field(jsonBody(input.body, 'web release', ['record']), 'record', RECORD_MAX_BYTES);
    // Only the root can bless a bundle: a record this node's root did not sign is refused before anything is written.
    const release = await verifyWebRelease(node.p, decodeWebRelease(record), await pinnedRoot(node));
    const manifestHash = release.manifestHash;
    const result = await loggedWrite(node, input, (tx, log) => {
      requireOfficer(tx, caller);
      const stored = tx.getWebRelease(manifestHash);
      // Released already (this record, or another the root signed for the same manifest, e.g. the command run
      // twice): the first record and its log entry stand, nothing is logged again.
      if (stored) return { logIndex: stored.logIndex, duplicate: true };
      const appended = log([{ kind: 'web.released', manifestHash, version: release.version, recordHash: node.p.sha256(record), by: caller.user }]);
      tx.putWebRelease({ manifestHash, record, logIndex: appended.first, releasedAt: input.now });
      return { logIndex: appended.first, duplicate: false };
    });
    if (!result.duplicate) node.log.info({ manifestHash: toHex(manifestHash), version: release.version, by: caller.user }, 'web release published');
    return { status: result.duplicate ? 200 : 201, body: { manifestHash: toHex(manifestHash), version: release.version, logIndex: result.logIndex, duplicate: result.duplicate } };
  },
};

const fetchRelease: Route = {
  method: 'GET',
  path: '/api/v1/web/releases/:manifestHash',
  summary:
    'A web release by manifest hash (hex): the signed record (base64), its web.released log entry (leaf, base64) and that entry\'s inclusion proof under the latest signed checkpoint (public: what the service worker checks)',
  auth: 'none',
  handle(node, input) {
    const manifestHash = manifestHashParam(input.params.manifestHash);
    const { row, leaf, size, note } = node.store.transaction((tx) => {
      const row = tx.getWebRelease(manifestHash);
      if (!row) throw new RequestError('request.not_found', 'no web release has this manifest hash: this build was not released');
      const entry = tx.logEntry(row.logIndex);
      if (!entry) throw new VerificationError('verify.not_logged', 'the release names a log entry this log does not have');
      const latest = tx.latestCheckpoint();
      if (!latest || latest.size <= row.logIndex) throw new LogError('log.out_of_range', 'no checkpoint covers the release yet');
      return { row, leaf: entry.leaf, size: latest.size, note: latest.note };
    });
    const proof = node.auditLog.inclusionProof(row.logIndex, size);
    return { body: { manifestHash: toHex(manifestHash), record: b64(row.record), logIndex: row.logIndex, leaf: b64(leaf), size, proof: proof.map(b64), checkpoint: note } };
  },
};

export const webReleaseRoutes: readonly Route[] = [publish, fetchRelease];
