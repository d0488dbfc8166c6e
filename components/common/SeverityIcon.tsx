import type { Level } from '@/utils/tab/types';
import type { Severity } from '@/utils/headers/types';

const GLYPH: Record<Severity | Level, string> = { error: '✕', warning: '!', info: 'i', ok: '✓', none: '–' };

/** A small coloured badge for a severity or level; the word is its accessible name. */
export function SeverityIcon({ severity }: { severity: Severity | Level }) {
  return (
    <span class={`sev sev-${severity}`} role="img" aria-label={severity} title={severity}>
      {GLYPH[severity]}
    </span>
  );
}
