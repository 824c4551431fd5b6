// The signed-in workspace: navigation by what the user does (everyone reads and drafts; releasing officers release;
// security officers watch), the user's own record from the node, and the screen of the current place.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { getUser, type UserView } from '../../../src/client/directory.ts';
import { useApp } from '../device-context.ts';
import { describeError, isSessionEnd } from '../components/use-task.ts';
import { hrefOf, type Place } from '../route.ts';
import { Admin } from './admin.tsx';
import { Compose } from './compose.tsx';
import { Devices } from './devices.tsx';
import { Inbox } from './inbox.tsx';
import { Reader } from './reader.tsx';
import { Releases } from './releases.tsx';
import { Search } from './search.tsx';
import { Security } from './security.tsx';

/** The signed-in user as the node lists them (memberships and roles); null until loaded. */
export const MeContext = createContext<UserView | null>(null);

export function useMe(): UserView | null {
  return useContext(MeContext);
}

export function hasRole(me: UserView | null, role: 'releasing-officer' | 'security-officer'): boolean {
  return me?.memberships.some((m) => m.role === role) ?? false;
}

function Current({ place }: { readonly place: Place }) {
  switch (place.screen) {
    case 'cable':
      // Keyed by the cable: another cable is a fresh reader, never the last one's text under a new heading.
      return <Reader key={place.id} id={place.id} />;
    case 'compose':
      return <Compose draft={place.draft} />;
    case 'releases':
      return <Releases />;
    case 'search':
      return <Search />;
    case 'security':
      return <Security />;
    case 'admin':
      return <Admin />;
    case 'devices':
      return <Devices />;
    default:
      return <Inbox />;
  }
}

export function Workspace({ place, onSignOut }: { readonly place: Place; readonly onSignOut: () => void }) {
  const app = useApp();
  const [me, setMe] = useState<UserView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { session } = app.device;
  useEffect(() => {
    getUser(session, session.keys.user).then(setMe, (e: unknown) => (isSessionEnd(e) ? app.sessionEnded(describeError(e)) : setError(describeError(e))));
  }, [session, app]);

  const links: { place: Place; label: string; show: boolean }[] = [
    { place: { screen: 'inbox' }, label: 'Inbox', show: true },
    { place: { screen: 'compose' }, label: 'Compose', show: true },
    { place: { screen: 'releases' }, label: 'Release queue', show: hasRole(me, 'releasing-officer') },
    { place: { screen: 'search' }, label: 'Search', show: true },
    { place: { screen: 'security' }, label: 'Security', show: hasRole(me, 'security-officer') },
    { place: { screen: 'admin' }, label: 'Admin', show: hasRole(me, 'security-officer') },
    { place: { screen: 'devices' }, label: 'My devices', show: true },
  ];
  const current = place.screen === 'cable' ? 'inbox' : place.screen;
  return (
    <MeContext.Provider value={me}>
      <div class="workspace">
        <nav class="app-nav" aria-label="Chancery">
          <span class="brand">Chancery · {app.device.record.node}</span>
          <ul>
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li key={l.label}>
                  <a href={hrefOf(l.place)} aria-current={current === l.place.screen ? 'page' : undefined}>
                    {l.label}
                  </a>
                </li>
              ))}
          </ul>
          <span class="who">
            <span data-testid="signed-in-user">{session.keys.user}</span>
            <button type="button" class="secondary" onClick={onSignOut}>
              Sign out
            </button>
          </span>
        </nav>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <div class="screen">
          <Current place={place} />
        </div>
      </div>
    </MeContext.Provider>
  );
}
