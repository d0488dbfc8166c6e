import { capText, DISPLAY_CAP } from '@/utils/display/format';

/**
 * Splits a message at backticks: even parts are prose, odd parts were quoted as `code`. An unpaired backtick stays
 * literal text. Pure, so the rendering below never has to parse.
 */
export function splitCode(message: string): { text: string; code: boolean }[] {
  const parts: { text: string; code: boolean }[] = [];
  let rest = message;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (open < 0 || close < 0) {
      if (rest) parts.push({ text: rest, code: false });
      return parts;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), code: false });
    parts.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
}

export interface MessageTextProps {
  text: string;
  max?: number;
  testId?: string;
  class?: string;
}

/** A diagnostic message with its `backtick-quoted` parts as <code>: text nodes only, never markup. */
export function MessageText({ text, max = DISPLAY_CAP, testId, class: cls }: MessageTextProps) {
  const { text: kept, omitted } = capText(text, max);
  return (
    <span class={`message-text ${cls ?? ''}`} data-testid={testId}>
      {splitCode(kept).map((p, i) =>
        p.code ? (
          <code class="mono" key={i}>
            {p.text}
          </code>
        ) : (
          p.text
        ),
      )}
      {omitted > 0 && <span class="omitted">… ({omitted.toLocaleString('en-US')} more characters)</span>}
    </span>
  );
}
