import type { Level } from '@/utils/tab/types';
import type { Severity } from '@/utils/headers/types';
import { SEVERITY_GLYPH } from './severity-glyph';

/** A small coloured badge for a severity or level; the word is its accessible name. */
export function SeverityIcon({ severity }: { severity: Severity | Level }) {
  return (
    <span class={`sev sev-${severity}`} role="img" aria-label={severity} title={severity}>
      {SEVERITY_GLYPH[severity]}
    </span>
  );
}
