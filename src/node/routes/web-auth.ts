// The web app's passkey routes (issue 6; docs/web-auth.md): enrollment with a one-time code, login, step-up, logout.
import type { Route } from '../route.ts';

export const webAuthRoutes: readonly Route[] = [];
