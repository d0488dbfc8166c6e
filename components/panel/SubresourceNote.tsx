import { formatClock } from '@/utils/display/format';

export interface SubresourceNoteProps {
  /** Since when the tab's subresource responses are recorded; null or absent when they are not. */
  since?: number | null;
  /** When the top document's response arrived. */
  documentAt?: number;
}

/**
 * Subresource responses (whose `Report-To` configures their origin) are recorded while a panel is open for the
 * tab, like the Network panel: says so when the page loaded before recording began.
 */
export function SubresourceNote({ since, documentAt }: SubresourceNoteProps) {
  if (since == null || documentAt === undefined || documentAt >= since) return null;
  return (
    <p class="hint muted" data-testid="subresource-note" role="note">
      Report-To headers on subresources (fetch, XHR, images, scripts, styles) are recorded while this panel is open,
      since {formatClock(since)}. This page loaded before: reload it (F5) to see its subresources' Report-To too.
      Documents are recorded all the time.
    </p>
  );
}
