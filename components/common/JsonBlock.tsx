import { formatJson } from '@/utils/display/format';

/** A value as indented JSON text (capped), monospace and wrapped. */
export function JsonBlock({ value, testId, max }: { value: unknown; testId?: string; max?: number }) {
  return (
    <pre class="json mono" data-testid={testId}>
      {formatJson(value, max)}
    </pre>
  );
}
