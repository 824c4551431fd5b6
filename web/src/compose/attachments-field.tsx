// Attachments read in the browser (File → bytes), checked against CableLimits before they are held: they travel
// only inside the sealed draft, never as a separate upload.
import { useState } from 'preact/hooks';
import type { Attachment } from '../../../src/cable/types.ts';
import { CableLimits, CablePatterns } from '../../../src/cable/limits.ts';
import { Problems } from './office-picker.tsx';
import type { Finding } from './draft-form.ts';

const MiB = 1024 * 1024;

function mediaTypeOf(file: File): string {
  const t = file.type.toLowerCase().split(';')[0]?.trim() ?? '';
  return CablePatterns.mediaType.test(t) && t.length <= CableLimits.mediaTypeMaxChars ? t : 'application/octet-stream';
}

function size(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

export function AttachmentsField(props: { readonly value: readonly Attachment[]; readonly findings: readonly Finding[]; readonly onChange: (a: Attachment[]) => void }) {
  const { value, findings, onChange } = props;
  const [refused, setRefused] = useState<string[]>([]);
  const total = value.reduce((n, a) => n + a.data.length, 0);

  async function add(files: FileList | null) {
    if (!files) return;
    const next = [...value];
    const notes: string[] = [];
    let sum = total;
    for (const file of Array.from(files)) {
      if (next.length >= CableLimits.attachmentsMax) notes.push(`${file.name}: at most ${CableLimits.attachmentsMax} attachments`);
      else if (file.size > CableLimits.attachmentMaxBytes) notes.push(`${file.name}: ${size(file.size)}, above ${size(CableLimits.attachmentMaxBytes)} per file`);
      else if (sum + file.size > CableLimits.attachmentsTotalMaxBytes) notes.push(`${file.name}: the attachments would pass ${size(CableLimits.attachmentsTotalMaxBytes)} together`);
      else {
        next.push({ name: file.name, mediaType: mediaTypeOf(file), data: new Uint8Array(await file.arrayBuffer()) });
        sum += file.size;
      }
    }
    setRefused(notes);
    onChange(next);
  }

  return (
    <fieldset class="attachments" aria-describedby="attachments-problems">
      <legend>Attachments</legend>
      <p class="hint">
        Up to {CableLimits.attachmentsMax} files, {size(CableLimits.attachmentMaxBytes)} each, {size(CableLimits.attachmentsTotalMaxBytes)} together; sealed inside the cable. Now: {value.length} ({size(total)}).
      </p>
      {value.length > 0 ? (
        <ul class="chosen" aria-label="Attached files">
          {value.map((a) => (
            <li key={a.name}>
              <span class="office-code">{a.name}</span> <span class="office-meta">{a.mediaType} · {size(a.data.length)}</span>
              <button type="button" class="link" aria-label={`Remove attachment ${a.name}`} onClick={() => onChange(value.filter((x) => x !== a))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label>
        Add files
        <input type="file" multiple onChange={(e) => { const input = e.currentTarget; void add(input.files).then(() => { input.value = ''; }); }} />
      </label>
      {refused.length > 0 ? (
        <ul class="problems" role="alert">
          {refused.map((r) => <li key={r}>{r}</li>)}
        </ul>
      ) : null}
      <Problems id="attachments-problems" findings={findings} />
    </fieldset>
  );
}
