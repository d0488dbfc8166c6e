// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BreadcrumbsTab } from '@/components/panel/BreadcrumbsTab';
import { VirtualList } from '@/components/common/VirtualList';
import {
  configuredAnalyses,
  configuredView,
  HUGE_LATE_CRASH_SEQ,
  hugeBreadcrumbsView,
  makeBreadcrumbs,
  NOW,
  nothingConfiguredAnalyses,
  nothingConfiguredView,
} from '../../fixtures/views';
import { renderPanel } from './helpers';

afterEach(cleanup);

const huge = hugeBreadcrumbsView.state;

describe('virtual list', () => {
  it('renders only the visible window and moves the selection with the keyboard', () => {
    const onSelect = vi.fn();
    const onActivate = vi.fn();
    render(
      <VirtualList
        count={10_000}
        rowHeight={20}
        fallbackHeight={200}
        overscan={2}
        selected={5}
        onSelect={onSelect}
        onActivate={onActivate}
        renderRow={(i) => <span data-testid="vrow">row {i}</span>}
        testId="list"
      />,
    );
    const rows = screen.getAllByTestId('vrow');
    expect(rows.length).toBeLessThanOrEqual(14);
    expect(rows[0]!.textContent).toBe('row 0');
    const list = screen.getByTestId('list');
    expect((list.firstElementChild as HTMLElement).style.height).toBe('200000px');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith(6, 'key');
    fireEvent.keyDown(list, { key: 'End' });
    expect(onSelect).toHaveBeenLastCalledWith(9_999, 'key');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(onActivate).toHaveBeenCalledWith(5);
  });

  it('renders the rows at the scroll position', () => {
    render(
      <VirtualList
        count={10_000}
        rowHeight={20}
        fallbackHeight={200}
        overscan={0}
        selected={null}
        onSelect={() => {}}
        renderRow={(i) => <span data-testid="vrow">row {i}</span>}
        testId="list"
      />,
    );
    const list = screen.getByTestId('list');
    list.scrollTop = 100_000;
    fireEvent.scroll(list);
    const rows = screen.getAllByTestId('vrow');
    expect(rows[0]!.textContent).toBe('row 5000');
    expect(rows.length).toBeLessThanOrEqual(11);
  });
});

describe('breadcrumbs tab', () => {
  it('stays small with 10,000 breadcrumbs: only a window is in the DOM', () => {
    const t0 = performance.now();
    renderPanel(hugeBreadcrumbsView, nothingConfiguredAnalyses, { tab: 'breadcrumbs' });
    const elapsed = performance.now() - t0;
    const rows = screen.getAllByTestId('breadcrumb-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByTestId('breadcrumb-list').dataset.count).toBe('10002'); // 10,000 entries and 2 crash markers
    expect(screen.getByTestId('breadcrumb-count').textContent).toBe('10,000 entries shown of 10,000');
    expect(screen.getByTestId('breadcrumbs-dropped').textContent).toBe('4,321 older entries dropped');
    expect(elapsed).toBeLessThan(2_000);
  });

  it('filters by type chips and search', () => {
    render(
      <BreadcrumbsTab breadcrumbs={huge.breadcrumbs} crashes={[]} checkpoint={null} dropped={0} fallbackHeight={300} />,
    );
    for (const t of ['click', 'navigation', 'console', 'state', 'custom'])
      fireEvent.click(screen.getByTestId(`breadcrumb-chip-${t}`));
    expect(screen.getByTestId('breadcrumb-chip-click').getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('breadcrumb-count').textContent).toBe('1,667 entries shown of 10,000');
    expect(screen.getAllByTestId('breadcrumb-row').every((r) => r.dataset.type === 'network')).toBe(true);
    fireEvent.input(screen.getByTestId('breadcrumb-search'), { target: { value: 'items/9998 ' } });
    expect(screen.getByTestId('breadcrumb-count').textContent).toBe('1 entry shown of 10,000');
  });

  it('jumps to the breadcrumb nearest the last crash', () => {
    render(
      <BreadcrumbsTab
        breadcrumbs={huge.breadcrumbs}
        crashes={huge.crashes}
        checkpoint={null}
        dropped={0}
        fallbackHeight={300}
      />,
    );
    fireEvent.click(screen.getByTestId('jump-to-crash'));
    const selected = document.querySelector('.vrow.selected [data-testid="breadcrumb-row"]') as HTMLElement;
    expect(selected).not.toBeNull();
    expect(Number(selected.dataset.seq)).toBe(HUGE_LATE_CRASH_SEQ);
    expect(selected.textContent).toContain('at crash');
    expect(screen.getByTestId('breadcrumb-detail').textContent).toContain('api.shop.acme.test');
  });

  it('shows times relative to the first entry or before a crash', () => {
    const crumbs = makeBreadcrumbs(3, NOW - 1000, 1000);
    const { rerender } = render(<BreadcrumbsTab breadcrumbs={crumbs} crashes={[]} checkpoint={null} dropped={0} />);
    expect(screen.getAllByTestId('breadcrumb-row')[1]!.textContent).toContain('+1.000 s');
    const crash = { ...configuredView.state.crashes[0]!, at: NOW };
    rerender(<BreadcrumbsTab breadcrumbs={crumbs} crashes={[crash]} checkpoint={null} dropped={0} />);
    expect(screen.getAllByTestId('breadcrumb-row')[0]!.textContent).toContain('3.0 s before crash');
    expect(screen.getByTestId('breadcrumb-crash-marker').textContent).toContain('Tab crashed (oom)');
  });

  it("a crash marker's details show the whole predicted report, as the Crashes tab does", () => {
    const crumbs = makeBreadcrumbs(3, NOW - 1000, 1000);
    const crash = { ...configuredView.state.crashes[0]!, at: NOW };
    render(<BreadcrumbsTab breadcrumbs={crumbs} crashes={[crash]} checkpoint={null} dropped={0} />);
    fireEvent.click(screen.getByTestId('breadcrumb-crash-marker'));
    const report = JSON.parse(screen.getByTestId('crash-body').textContent) as Record<string, unknown>;
    // The report in Chromium's shape: {age, type, url, user_agent, body}, not the body alone.
    expect(report).toMatchObject({ type: 'crash', url: crash.url, body: { reason: 'oom' } });
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['type', 'url', 'body']));
    expect(screen.getByTestId('crash-route').textContent).toContain('will go to default');
    expect(screen.getByTestId('crash-delivery')).toBeTruthy();
    expect(screen.getAllByTestId('copy-crash-body')).toHaveLength(1);
  });

  it('pauses: stops applying updates and counts the new ones', () => {
    const first = makeBreadcrumbs(5);
    const more = [...first, ...makeBreadcrumbs(3, NOW, 10, 100)];
    const { rerender } = render(<BreadcrumbsTab breadcrumbs={first} crashes={[]} checkpoint={null} dropped={0} />);
    fireEvent.click(screen.getByTestId('breadcrumb-pause'));
    rerender(<BreadcrumbsTab breadcrumbs={more} crashes={[]} checkpoint={null} dropped={0} />);
    expect(screen.getByTestId('breadcrumb-paused').textContent).toBe('paused — 3 new');
    expect(screen.getAllByTestId('breadcrumb-row')).toHaveLength(5);
    fireEvent.click(screen.getByTestId('breadcrumb-pause'));
    expect(screen.getAllByTestId('breadcrumb-row')).toHaveLength(8);
    expect(screen.queryByTestId('breadcrumb-paused')).toBeNull();
  });

  it('clears through the callback', () => {
    const onClear = vi.fn();
    render(
      <BreadcrumbsTab breadcrumbs={makeBreadcrumbs(3)} crashes={[]} checkpoint={null} dropped={0} onClear={onClear} />,
    );
    fireEvent.click(screen.getByTestId('breadcrumb-clear'));
    expect(onClear).toHaveBeenCalled();
  });

  it('expands the selected entry with Enter and shows its data as JSON', () => {
    render(<BreadcrumbsTab breadcrumbs={makeBreadcrumbs(6)} crashes={[]} checkpoint={null} dropped={0} />);
    const list = screen.getByTestId('breadcrumb-list-body');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(screen.queryByTestId('breadcrumb-detail')).toBeNull();
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByTestId('breadcrumb-data').textContent).toContain('"method": "GET"');
  });

  it('marks CrashSense entries and shows the checkpoint card with an abnormal end', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'breadcrumbs' });
    expect(screen.getAllByText('crashsense').length).toBeGreaterThan(0);
    expect(screen.getByTestId('abnormal-end').textContent).toBe(
      'The previous session ended abnormally: here is its last state.',
    );
    const card = screen.getByTestId('checkpoint-card');
    expect(card.textContent).toContain('acme-shop');
    expect(card.textContent).toContain('sess-7f3a');
    expect(screen.getAllByTestId('precrash-warning')).toHaveLength(2);
    expect(card.textContent).toContain('memory above 95 % of the heap limit');
  });

  it('explains an empty timeline', () => {
    renderPanel(nothingConfiguredView, nothingConfiguredAnalyses, { tab: 'breadcrumbs' });
    expect(screen.getByTestId('empty-breadcrumbs').textContent).toContain('appear here as they happen');
  });
});
