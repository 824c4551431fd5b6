// Web releases (issue 6; docs/web-integrity.md): the organisation root's signed manifest of each web app build,
// recorded in the audit log, served to the service worker that refuses any other bundle.
import type { Route } from '../route.ts';

export const webReleaseRoutes: readonly Route[] = [];
