import { DISPLAY_CAP } from '@/utils/display/format';

export interface HighlightedProps {
  value: string;
  excerpt?: string;
  max?: number;
  /** The mark's `data-testid`. */
  testId?: string;
}

/**
 * A raw header value with the offending part marked. Text only: the value is split around the excerpt and the
 * part rendered in `<mark>`. Long values are windowed around the excerpt.
 */
export function Highlighted({ value, excerpt, max = DISPLAY_CAP, testId = 'problem-excerpt' }: HighlightedProps) {
  const at = excerpt ? value.indexOf(excerpt) : -1;
  if (!excerpt || at < 0) {
    const cut = value.length > max;
    return (
      <span class="raw mono">
        {cut ? value.slice(0, max) : value}
        {cut && <span class="omitted">… ({(value.length - max).toLocaleString('en-US')} more characters)</span>}
      </span>
    );
  }
  const markLen = Math.min(excerpt.length, max);
  const room = Math.max(0, max - markLen);
  let start = Math.max(0, at - Math.floor(room / 2));
  const end = Math.min(value.length, Math.max(at + markLen, start + max));
  start = Math.max(0, Math.min(start, end - max));
  const before = value.slice(start, at);
  const marked = value.slice(at, at + markLen);
  const after = value.slice(at + markLen, end);
  return (
    <span class="raw mono">
      {start > 0 && <span class="omitted">({start.toLocaleString('en-US')} characters) …</span>}
      {before}
      <mark data-testid={testId}>{marked}</mark>
      {after}
      {end < value.length && (
        <span class="omitted">… ({(value.length - end).toLocaleString('en-US')} more characters)</span>
      )}
    </span>
  );
}
