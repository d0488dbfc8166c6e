import { DISPLAY_CAP } from '@/utils/display/format';

export interface HighlightedProps {
  value: string;
  /** UTF-16 offsets of the offending bytes in `value` (a diagnostic's `start`/`end`); without them nothing is marked. */
  start?: number;
  end?: number;
  max?: number;
  /** The mark's `data-testid`. */
  testId?: string;
}

/** The pieces of `value` around the span `[start, end)`, windowed to about `max` characters around it. */
export interface HighlightParts {
  /** Characters left out before `before` (0: none). */
  skippedBefore: number;
  before: string;
  marked: string;
  after: string;
  /** Characters left out after `after` (0: none). */
  skippedAfter: number;
}

/**
 * Splits `value` at a diagnostic's offsets, so the mark covers exactly the offending bytes; null when the offsets do
 * not fit `value` (they belong to another value). A long value is windowed around the span, the span itself cut to
 * `max` characters.
 */
export function highlightParts(
  value: string,
  start: number | undefined,
  end: number | undefined,
  max = DISPLAY_CAP,
): HighlightParts | null {
  if (start === undefined || end === undefined) return null;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > value.length) return null;
  const markLen = Math.min(end - start, max);
  const room = Math.max(0, max - markLen);
  let from = Math.max(0, start - Math.floor(room / 2));
  const to = Math.min(value.length, Math.max(start + markLen, from + max));
  from = Math.max(0, Math.min(from, to - max, start));
  return {
    skippedBefore: from,
    before: value.slice(from, start),
    marked: value.slice(start, start + markLen),
    after: value.slice(start + markLen, to),
    skippedAfter: value.length - to,
  };
}

/**
 * A raw header value with the offending bytes marked, by the diagnostic's offsets (never by searching for text, which
 * finds the first of two equal pieces). Text only; long values are windowed around the mark.
 */
export function Highlighted({ value, start, end, max = DISPLAY_CAP, testId = 'problem-excerpt' }: HighlightedProps) {
  const parts = highlightParts(value, start, end, max);
  if (!parts) {
    const cut = value.length > max;
    return (
      <span class="raw mono">
        {cut ? value.slice(0, max) : value}
        {cut && <span class="omitted">… ({(value.length - max).toLocaleString('en-US')} more characters)</span>}
      </span>
    );
  }
  return (
    <span class="raw mono">
      {parts.skippedBefore > 0 && (
        <span class="omitted">({parts.skippedBefore.toLocaleString('en-US')} characters) …</span>
      )}
      {parts.before}
      <mark
        data-testid={testId}
        data-start={String(start)}
        data-end={String(end)}
        class={parts.marked ? undefined : 'caret'}
        title={parts.marked ? undefined : `here (character ${(start ?? 0) + 1})`}
      >
        {parts.marked}
      </mark>
      {parts.after}
      {parts.skippedAfter > 0 && (
        <span class="omitted">… ({parts.skippedAfter.toLocaleString('en-US')} more characters)</span>
      )}
    </span>
  );
}
