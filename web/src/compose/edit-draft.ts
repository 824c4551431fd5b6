// Loading one's own draft back into the compose form (to edit a returned draft and re-submit it under its id): the
// draft is fetched, its drafter's signature checked and opened through the release service (a logged `draft.read`),
// and its cable turned back into the form's fields.
import type { Cable, CableId } from '../../../src/cable/types.ts';
import { fetchDraft, openSealedDraft } from '../../../src/client/drafts.ts';
import type { Session } from '../../../src/client/session.ts';
import type { DraftForm } from './draft-form.ts';

/** The form that files this cable again (the inverse of draftInputOf, lists joined as the form types them). */
export function formOfCable(cable: Cable): DraftForm {
  const { header, content } = cable;
  return {
    from: header.from,
    level: header.marking.classification,
    caveats: header.marking.caveats.join(', '),
    releasableTo: header.marking.releasableTo.join(', '),
    precedence: header.precedence,
    to: [...header.to],
    info: [...header.info],
    tags: header.tags.join(', '),
    references: content.references.join(', '),
    subject: content.subject,
    body: content.body,
    attachments: [...content.attachments],
  };
}

/** The draft `id`, opened on this device, as the compose form's state. */
export async function loadDraftForm(session: Session, id: CableId): Promise<DraftForm> {
  const { draft } = await fetchDraft(session, id);
  return formOfCable(await openSealedDraft(session, draft));
}
