// Every route of the node's API, in one list: the router and the OpenAPI document are both built from it.
import type { Route } from '../route.ts';
import { alertRoutes } from './alerts.ts';
import { cableRoutes } from './cables.ts';
import { canaryRoutes } from './canaries.ts';
import { deviceRoutes } from './devices.ts';
import { directoryRoutes } from './directory.ts';
import { draftRoutes } from './drafts.ts';
import { draftReturnRoutes } from './draft-returns.ts';
import { federationRoutes } from './federation.ts';
import { gossipRoutes } from './gossip.ts';
import { identityRoutes } from './identity.ts';
import { keyRoutes } from './keys.ts';
import { logRoutes } from './log.ts';
import { peerRoutes } from './peers.ts';
import { personaRoutes } from './personas.ts';
import { revocationRoutes } from './revocations.ts';
import { webAuthRoutes } from './web-auth.ts';
import { webReleaseRoutes } from './web-releases.ts';

export const allRoutes: readonly Route[] = [...identityRoutes, ...directoryRoutes, ...deviceRoutes, ...revocationRoutes, ...keyRoutes, ...draftRoutes, ...cableRoutes, ...logRoutes, ...alertRoutes, ...canaryRoutes, ...personaRoutes, ...gossipRoutes, ...federationRoutes, ...peerRoutes, ...webAuthRoutes, ...webReleaseRoutes, ...draftReturnRoutes];
