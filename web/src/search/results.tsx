// Search results: one link per cable to its reader (opening it there is the user's explicit, logged read). The
// subject is shown only for a cable this device opened before; otherwise the line says so.
import { hrefOf } from '../route.ts';

export interface ResultLine {
  readonly id: string;
  readonly dtg: string;
  readonly precedence: string;
  readonly classification: string;
  readonly from: string;
  /** Null when the cable was not opened on this device. */
  readonly subject: string | null;
}

const NOT_OPENED = '(not opened on this device)';

export function Results({ lines }: { readonly lines: readonly ResultLine[] }) {
  return (
    <ol class="search-results" aria-label="Search results">
      {lines.map((l) => {
        const subject = l.subject ?? NOT_OPENED;
        return (
          <li key={l.id}>
            <a href={hrefOf({ screen: 'cable', id: l.id })} data-testid="search-result" data-cable={l.id} aria-label={`${l.precedence} ${l.classification} cable ${l.id} from ${l.from}, ${l.dtg}: ${subject}`}>
              <span class="sr-id">{l.id.split('/').map((part, i) => (i === 0 ? part : [<wbr key={i} />, `/${part}`]))}</span>
              <time class="sr-dtg" dateTime={l.dtg}>{l.dtg.replace('T', ' ').replace(/:\d\dZ$/, 'Z')}</time>
              <span class={`sr-prec prec-${l.precedence.toLowerCase()}`}>{l.precedence}</span>
              <span class="sr-lvl">{l.classification}</span>
              <span class="sr-from">{l.from}</span>
              <span class={`sr-subject${l.subject === null ? ' not-opened' : ''}`}>{subject}</span>
            </a>
          </li>
        );
      })}
    </ol>
  );
}
