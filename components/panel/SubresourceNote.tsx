import { formatClock } from '@/utils/display/format';
import { usePanelStore } from '@/entrypoints/devtools-panel/store';

export interface SubresourceNoteProps {
  /** Since when the tab's subresource responses are recorded; null or absent when they are not. */
  since?: number | null;
  /** When the top document's response arrived. */
  documentAt?: number;
  /** The top document's id: the note is shown for the first such document of the panel only. */
  documentId?: string;
}

/**
 * Subresource responses (whose `Report-To` configures their origin) are recorded while a panel is open for the
 * tab, like the Network panel: says so once per panel, for the page that loaded before recording began, until
 * dismissed or the tab moves on.
 */
export function SubresourceNote({ since, documentAt, documentId }: SubresourceNoteProps) {
  const store = usePanelStore();
  const note = store.subresourceNote;
  if (since == null || documentAt === undefined || documentId === undefined || documentAt >= since) return null;
  if (note.value.dismissed || (note.value.shownFor !== null && note.value.shownFor !== documentId)) return null;
  if (note.value.shownFor === null)
    queueMicrotask(() => (note.value = { ...note.peek(), shownFor: note.peek().shownFor ?? documentId }));
  return (
    <p class="hint muted one-line-note" data-testid="subresource-note" role="note">
      Subresources' Report-To is recorded while this panel is open (since {formatClock(since)}): reload the page (F5) to
      see it.{' '}
      <button
        type="button"
        class="link-button"
        data-testid="subresource-note-dismiss"
        onClick={() => (note.value = { ...note.peek(), dismissed: true })}
      >
        Got it
      </button>
    </p>
  );
}
