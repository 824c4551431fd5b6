// One opened cable on screen: the routing header as a field list, the subject, the body's numbered paragraphs,
// references as links to their own reader, and attachments saved from memory (a Blob, never re-fetched).
import type { Attachment, Cable } from '../../../src/cable/types.ts';
import { renderMarking } from '../../../src/cable/telegram.ts';
import { hrefOf } from '../route.ts';

/** Paragraphs are separated by a blank line (src/cable/types.ts `ProtectedPart.body`). */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Saves an attachment through an object URL (the CSP governs fetches, not a download of our own blob). */
function download(a: Attachment): void {
  const url = URL.createObjectURL(new Blob([a.data as Uint8Array<ArrayBuffer>], { type: a.mediaType || 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = a.name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download by the next task; the URL is dropped so the bytes can be freed.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Field({ name, children }: { readonly name: string; readonly children: preact.ComponentChildren }) {
  return (
    <div class="field">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function CableView({ cable, office }: { readonly cable: Cable; readonly office: string }) {
  const h = cable.header;
  const c = cable.content;
  const urgent = h.precedence === 'FLASH' || h.precedence === 'IMMEDIATE';
  return (
    <article class="cable" aria-labelledby="cable-subject">
      <p class="cable-marking" data-testid="cable-marking">{renderMarking(h.marking)}</p>
      <h2 id="cable-subject" class="cable-subject">{c.subject}</h2>
      <dl class="cable-fields">
        <Field name="Cable">
          <code data-testid="cable-id">{h.id}</code>
        </Field>
        <Field name="DTG">
          <time dateTime={h.dtg}>{h.dtg}</time>
        </Field>
        <Field name="Precedence">
          <span class={`prec prec-${h.precedence.toLowerCase()}`}>{urgent ? `▲ ${h.precedence}` : h.precedence}</span>
        </Field>
        <Field name="Classification">{renderMarking(h.marking)}</Field>
        <Field name="From">
          <code>{h.from}</code>
        </Field>
        <Field name="To">
          <code>{h.to.join(', ')}</code>
        </Field>
        {h.info.length ? (
          <Field name="Info">
            <code>{h.info.join(', ')}</code>
          </Field>
        ) : null}
        <Field name="Tags">{h.tags.length ? <code>{h.tags.join(' ')}</code> : 'none'}</Field>
        <Field name="Drafted by">{h.drafter}</Field>
        <Field name="Released by">{h.releaser}</Field>
        <Field name="Opened through">
          <code>{office}</code>
        </Field>
      </dl>
      {c.references.length ? (
        <nav class="cable-references" aria-label="References">
          <h3>References</h3>
          <ul>
            {c.references.map((r, i) => (
              <li key={r}>
                <span class="ref-letter">{String.fromCharCode(65 + (i % 26))}.</span>{' '}
                <a href={hrefOf({ screen: 'cable', id: r })} data-testid="cable-reference">
                  {r}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <ol class="cable-body" aria-label="Text of the cable" data-testid="cable-body">
        {paragraphsOf(c.body).map((p, i) => (
          <li key={i} class="para">
            {p}
          </li>
        ))}
      </ol>
      {c.attachments.length ? (
        <section class="cable-attachments" aria-labelledby="attachments-title">
          <h3 id="attachments-title">Attachments</h3>
          <ul>
            {c.attachments.map((a, i) => (
              <li key={i}>
                <button type="button" class="secondary" aria-label={`Download ${a.name} (${a.mediaType}, ${size(a.data.length)})`} onClick={() => download(a)}>
                  Download {a.name}
                </button>{' '}
                <span class="note">
                  {a.mediaType}, {size(a.data.length)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="cable-marking" aria-hidden="true">{renderMarking(h.marking)}</p>
    </article>
  );
}
