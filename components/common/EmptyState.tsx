import type { ComponentChildren } from 'preact';

export interface EmptyStateProps {
  title: string;
  children?: ComponentChildren;
  testId?: string;
  tone?: 'neutral' | 'warning' | 'error';
}

/** An honest empty state: what will appear here, and how to make it appear. */
export function EmptyState({ title, children, testId = 'empty-state', tone = 'neutral' }: EmptyStateProps) {
  return (
    <div class={`empty tone-${tone}`} data-testid={testId} role="status">
      <div class="empty-title">{title}</div>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}
