// The application shell: classification banners at the top and bottom, and between them the screen this browser's
// device is at — enroll it, unlock it with its passkey, wait for its approval, or work.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Classifications, type Classification } from '../../src/cable/types.ts';
import { ClassificationBanner } from './components/classification-banner.tsx';
import { DeviceContext, type AppContext } from './device-context.ts';
import type { DeviceRecord } from './device/device-record.ts';
import { enrolledDevice, type Unlocked } from './device/web-device.ts';
import { usePlace } from './route.ts';
import { Enroll } from './screens/enroll.tsx';
import { Pending } from './screens/pending.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { Workspace } from './screens/workspace.tsx';

type Stage =
  | { readonly kind: 'checking' }
  | { readonly kind: 'new' }
  | { readonly kind: 'locked'; readonly record: DeviceRecord; readonly notice?: string }
  | Unlocked;

/** The whole page. Before sign-in nothing classified is shown, so the banners say UNCLASSIFIED. */
export function App() {
  const [stage, setStage] = useState<Stage>({ kind: 'checking' });
  const [marking, setMarking] = useState<Classification>('UNCLASSIFIED');
  // Every screen part showing classified text holds a claim; the banners carry the highest.
  const claims = useRef(new Map<number, Classification>());
  const claimMarking = useCallback((level: Classification) => {
    const key = claims.current.size === 0 ? 1 : Math.max(...claims.current.keys()) + 1;
    claims.current.set(key, level);
    const show = () => setMarking([...claims.current.values()].reduce<Classification>((top, l) => (Classifications.indexOf(l) > Classifications.indexOf(top) ? l : top), 'UNCLASSIFIED'));
    show();
    return () => {
      claims.current.delete(key);
      show();
    };
  }, []);
  const place = usePlace();

  const lock = useCallback((notice?: string) => {
    claims.current.clear();
    setMarking('UNCLASSIFIED');
    enrolledDevice().then(
      (record) => setStage(record ? { kind: 'locked', record, ...(notice ? { notice } : {}) } : { kind: 'new' }),
      () => setStage({ kind: 'new' }),
    );
  }, []);
  useEffect(() => lock(), [lock]);

  const context = useMemo<AppContext | null>(() => {
    if (stage.kind !== 'ready') return null;
    return {
      device: stage.device,
      claimMarking,
      sessionEnded: (reason) => {
        stage.device.session.close();
        lock(`Your session ended: ${reason}. Sign in again.`);
      },
    };
  }, [stage, lock, claimMarking]);

  // A hidden tab keeps no keys: after the idle time the node refuses the session anyway, so sign out here too.
  useEffect(() => {
    if (stage.kind !== 'ready') return;
    const idle = 15 * 60 * 1000;
    let timer = setTimeout(() => context?.sessionEnded('no activity for 15 minutes'), idle);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => context?.sessionEnded('no activity for 15 minutes'), idle);
    };
    addEventListener('keydown', touch);
    addEventListener('pointerdown', touch);
    return () => {
      clearTimeout(timer);
      removeEventListener('keydown', touch);
      removeEventListener('pointerdown', touch);
    };
  }, [stage, context]);

  let screen;
  switch (stage.kind) {
    case 'checking':
      screen = <p aria-busy="true">Opening this browser's device…</p>;
      break;
    case 'new':
      screen = <Enroll onDone={setStage} />;
      break;
    case 'locked':
      screen = place.screen === 'enroll' ? <Enroll onDone={setStage} replacing={stage.record} /> : <SignIn record={stage.record} notice={stage.notice} onDone={setStage} />;
      break;
    case 'pending':
      screen = <Pending record={stage.record} onSignOut={() => void stage.signOut().then(() => lock())} onRetry={setStage} />;
      break;
    case 'ready':
      screen = (
        <DeviceContext.Provider value={context}>
          <Workspace place={place} onSignOut={() => void stage.device.signOut().then(() => lock())} />
        </DeviceContext.Provider>
      );
      break;
  }

  return (
    <div class={`shell ${stage.kind === 'ready' ? 'working' : 'outside'}`}>
      <header class="top">
        <ClassificationBanner level={marking} position="top" />
      </header>
      <main id="main">{screen}</main>
      <footer class="bottom">
        <ClassificationBanner level={marking} position="bottom" />
      </footer>
    </div>
  );
}
