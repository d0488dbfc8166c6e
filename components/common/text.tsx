/** Text helpers: everything from headers and pages is rendered as text, capped, and linked only when https. */
import type { ComponentChildren } from 'preact';
import { capText, safeHttpsUrl, DISPLAY_CAP } from '@/utils/display/format';

export interface CappedTextProps {
  text: string;
  /** Characters kept; the rest is counted in "… (N more characters)". */
  max?: number;
  class?: string;
  testId?: string;
}

/** A string of any length, cut to `max` characters with a note of what was left out. */
export function CappedText({ text, max = DISPLAY_CAP, class: cls, testId }: CappedTextProps) {
  const { text: kept, omitted } = capText(text, max);
  return (
    <span class={cls} data-testid={testId}>
      {kept}
      {omitted > 0 && <span class="omitted">… ({omitted.toLocaleString('en-US')} more characters)</span>}
    </span>
  );
}

export interface UrlTextProps {
  url: string;
  testId?: string;
  class?: string;
}

/**
 * A URL as text, a link only when it is `https:` (opened in a new tab without a referrer); `javascript:` and
 * everything else stays inert text.
 */
export function UrlText({ url, testId, class: cls }: UrlTextProps) {
  const href = safeHttpsUrl(url);
  const body = <CappedText text={url} max={500} />;
  if (!href) {
    return (
      <span class={`url ${cls ?? ''}`} data-testid={testId}>
        {body}
      </span>
    );
  }
  return (
    <a class={`url ${cls ?? ''}`} href={href} target="_blank" rel="noreferrer" data-testid={testId}>
      {body}
    </a>
  );
}

/** Monospace inline value. */
export function Code({ children, class: cls }: { children: ComponentChildren; class?: string }) {
  return <code class={`mono ${cls ?? ''}`}>{children}</code>;
}
