import { formatJson } from '@/utils/display/format';
import { CopyButton } from './CopyButton';

export interface JsonBlockProps {
  value: unknown;
  testId?: string;
  /** Characters shown (the copy button copies the whole value). */
  max?: number;
  /** Show a Copy button (default: yes). */
  copyable?: boolean;
  /** Replaces the clipboard (tests, harness). */
  copy?: (text: string) => Promise<boolean>;
}

/** The whole value as indented JSON, for the clipboard; a value JSON cannot hold becomes its string form. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A value as indented JSON text (capped), monospace and wrapped, with a Copy button for the whole value. */
export function JsonBlock({ value, testId, max, copyable = true, copy }: JsonBlockProps) {
  return (
    <div class="json-wrap">
      {copyable && (
        <CopyButton
          text={() => jsonText(value)}
          label="Copy"
          title="Copy as JSON"
          testId={testId ? `copy-${testId}` : 'copy-json'}
          copy={copy}
        />
      )}
      <pre class="json mono" data-testid={testId}>
        {formatJson(value, max)}
      </pre>
    </div>
  );
}
