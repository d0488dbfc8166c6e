import type { Level } from '@/utils/tab/types';
import type { Severity } from '@/utils/headers/types';

/** The glyph of each severity or level, as `SeverityIcon` shows it (and the background's prerendered pages). */
export const SEVERITY_GLYPH: Record<Severity | Level, string> = {
  error: '✕',
  warning: '!',
  info: 'i',
  ok: '✓',
  none: '–',
};
