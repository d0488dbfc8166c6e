// @vitest-environment happy-dom
// Apart from helpers.tsx, which loads every tab up front: here the tabs' code is not loaded yet.
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { useLazyTabs } from '@/components/panel/lazy-tabs';
import type { TabName } from '@/components/panel/labels-and-filter';

afterEach(cleanup);

function Probe({ tab, prefetch }: { tab: TabName; prefetch: boolean }) {
  const { tabs } = useLazyTabs(tab, prefetch);
  return <div data-testid="loaded">{Object.keys(tabs).sort().join(' ')}</div>;
}

describe('lazily loaded tabs', () => {
  it('loads the active tab when shown, the others once asked to prefetch', async () => {
    const { rerender } = render(<Probe tab="routes" prefetch={false} />);
    expect(screen.getByTestId('loaded').textContent).toBe('');
    // Loading a tab's code is slow under vitest's on-the-fly transform, hence the long waits.
    await waitFor(() => expect(screen.getByTestId('loaded').textContent).toBe('routes'), { timeout: 10_000 });
    rerender(<Probe tab="overview" prefetch={true} />);
    await waitFor(
      () =>
        expect(screen.getByTestId('loaded').textContent).toBe(
          'breadcrumbs crashes endpoints headers history problems reports routes',
        ),
      { timeout: 10_000 },
    );
  });
});
