// The app's places, in the URL's fragment (`#/inbox`, `#/cable/EEAS.DEL.WASHINGTON/2026/000123`), so a reload or a
// bookmark lands on the same screen and the node never sees where the user is in the app.
import { useEffect, useState } from 'preact/hooks';

export type Place =
  | { readonly screen: 'inbox' }
  | { readonly screen: 'cable'; readonly id: string }
  | { readonly screen: 'compose'; readonly draft?: string }
  | { readonly screen: 'releases' }
  | { readonly screen: 'search' }
  | { readonly screen: 'security' }
  | { readonly screen: 'admin' }
  | { readonly screen: 'devices' }
  | { readonly screen: 'enroll' };

/** Parses a fragment; anything unknown is the inbox. */
export function placeOf(hash: string): Place {
  const path = hash.replace(/^#\/?/, '');
  const [head = '', ...rest] = path.split('/');
  const tail = decodeURIComponent(rest.join('/'));
  switch (head) {
    case 'cable':
      return tail ? { screen: 'cable', id: tail } : { screen: 'inbox' };
    case 'compose':
      return tail ? { screen: 'compose', draft: tail } : { screen: 'compose' };
    case 'releases':
    case 'search':
    case 'security':
    case 'admin':
    case 'devices':
    case 'enroll':
      return { screen: head };
    default:
      return { screen: 'inbox' };
  }
}

/** The fragment of a place (the inverse of `placeOf`). */
export function hrefOf(place: Place): string {
  switch (place.screen) {
    case 'cable':
      return `#/cable/${place.id.split('/').map(encodeURIComponent).join('/')}`;
    case 'compose':
      return place.draft ? `#/compose/${place.draft.split('/').map(encodeURIComponent).join('/')}` : '#/compose';
    default:
      return `#/${place.screen}`;
  }
}

export function go(place: Place): void {
  location.hash = hrefOf(place);
}

/** The current place, following the fragment. */
export function usePlace(): Place {
  const [place, setPlace] = useState(() => placeOf(location.hash));
  useEffect(() => {
    const follow = () => setPlace(placeOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return place;
}
