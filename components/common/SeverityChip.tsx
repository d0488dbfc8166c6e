export type ChipTone = 'bad' | 'warn' | 'info' | 'ok' | 'neutral';

/** The tone of a severity word from any source: diagnostics (error/warning/info) or crash reports (critical…low). */
export function toneOf(severity: string): ChipTone {
  const s = severity.toLowerCase();
  if (s === 'error' || s === 'critical' || s === 'high' || s === 'fatal' || s === 'imminent') return 'bad';
  if (s === 'warning' || s === 'warn' || s === 'medium' || s === 'elevated') return 'warn';
  if (s === 'info' || s === 'low' || s === 'note') return 'info';
  if (s === 'ok') return 'ok';
  return 'neutral';
}

/**
 * A severity as a word on a tinted chip: dark text on a pale tint in the light theme, pale text on a dark tint in
 * the dark one, so the word stays legible (≥ 4.5:1) in both.
 */
export function SeverityChip({ severity, testId }: { severity: string; testId?: string }) {
  const word = severity.trim() || 'unknown';
  return (
    <span class={`sev-chip tone-${toneOf(word)}`} data-testid={testId} data-severity={word}>
      {word.length > 24 ? `${word.slice(0, 24)}…` : word}
    </span>
  );
}
