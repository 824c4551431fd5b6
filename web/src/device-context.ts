// What every screen of a signed-in app reaches through context: the device (its client session, step-up, sign-out)
// and the page's marking — the banners show the highest classification on screen, which the reader raises.
import { createContext } from 'preact';
import { useContext, useLayoutEffect } from 'preact/hooks';
import type { Classification } from '../../src/cable/types.ts';
import type { WebDevice } from './device/web-device.ts';

export interface AppContext {
  readonly device: WebDevice;
  /**
   * Claims a level for the banners while something of that level is on screen; the banners show the highest claim
   * (UNCLASSIFIED when there is none). Returns the release of the claim.
   */
  claimMarking(level: Classification): () => void;
  /** Tells the shell the node ended the session (expired, signed out elsewhere): back to the sign-in screen. */
  sessionEnded(reason: string): void;
}

export const DeviceContext = createContext<AppContext | null>(null);

/** The signed-in device; only screens rendered inside the signed-in shell may call it. */
export function useApp(): AppContext {
  const app = useContext(DeviceContext);
  if (!app) throw new Error('useApp outside the signed-in shell');
  return app;
}

/**
 * Raises the banners to `level` while the calling component shows it. A layout effect, so the banners change in the
 * same frame as the content: a subject is never painted under a lower marking, even for one frame.
 */
export function useMarking(level: Classification): void {
  const app = useApp();
  useLayoutEffect(() => app.claimMarking(level), [level, app]);
}
