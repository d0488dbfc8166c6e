// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GridColumn } from '@/components/common/Grid';
import { Grid, sortRows } from '@/components/common/Grid';
import { JsonBlock } from '@/components/common/JsonBlock';
import { MessageText, splitCode } from '@/components/common/MessageText';
import { SeverityChip, toneOf } from '@/components/common/SeverityChip';
import { fitTabs, TabBar } from '@/components/panel/TabBar';
import { reportFacts } from '@/components/panel/ReportsTab';
import { TABS } from '@/components/panel/labels-and-filter';
import { flush } from './helpers';

afterEach(cleanup);

type Row = { id: string; name: string; size: number; body: Record<string, unknown> };

const ROWS: Row[] = [
  { id: 'a', name: 'beta', size: 30, body: { n: 1 } },
  { id: 'b', name: 'Alpha', size: 5, body: { n: 2 } },
  { id: 'c', name: 'gamma', size: 100, body: { n: 3 } },
  { id: 'd', name: 'alpha', size: 5, body: { n: 4 } },
];

const COLUMNS: GridColumn<Row>[] = [
  {
    id: 'name',
    title: 'Name',
    width: '1fr',
    render: (r) => <span data-testid="cell-name">{r.name}</span>,
    sort: (r) => r.name,
  },
  { id: 'size', title: 'Size', width: '60px', render: (r) => String(r.size), sort: (r) => r.size },
  { id: 'note', title: 'Note', width: '1fr', render: () => 'x' },
];

function renderGrid(extra: Partial<Parameters<typeof Grid<Row>>[0]> = {}) {
  return render(
    <Grid
      rows={ROWS}
      columns={COLUMNS}
      rowKey={(r) => r.id}
      rowAttrs={(r) => ({ 'data-testid': 'row', 'data-id': r.id })}
      details={(r) => (
        <div data-testid="details">
          {r.name}
          <JsonBlock value={r.body} testId="body" copy={extra.label === 'copy' ? copySpy : undefined} />
        </div>
      )}
      detailsTitle={(r) => `Row ${r.name}`}
      testId="g"
      label="Things"
      {...extra}
    />,
  );
}
const copySpy = vi.fn(async (_: string) => true);
const order = () => screen.getAllByTestId('row').map((r) => r.dataset.id);

describe('grid', () => {
  it('has column headers, and sorts on a click: ▲ ascending, then ▼ descending, with aria-sort', () => {
    renderGrid();
    expect(screen.getByRole('grid').getAttribute('aria-label')).toBe('Things');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Size', 'Note']);
    expect(order()).toEqual(['a', 'b', 'c', 'd']);
    const size = screen.getByTestId('grid-header-size');
    expect(size.getAttribute('aria-sort')).toBe('none');
    expect(screen.getByTestId('grid-header-note').getAttribute('aria-sort')).toBeNull(); // not sortable
    fireEvent.click(within(size).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('ascending');
    expect(size.textContent).toContain('▲');
    expect(order()).toEqual(['b', 'd', 'a', 'c']); // equal sizes keep their order
    fireEvent.click(within(size).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('descending');
    expect(size.textContent).toContain('▼');
    expect(order()).toEqual(['c', 'a', 'b', 'd']);
    // Another column: ascending, case-insensitive, the first column loses its arrow.
    fireEvent.click(within(screen.getByTestId('grid-header-name')).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('none');
    expect(screen.getAllByTestId('cell-name').map((c) => c.textContent)).toEqual(['Alpha', 'alpha', 'beta', 'gamma']);
  });

  it('starts in the initial sort', () => {
    renderGrid({ initialSort: { column: 'size', dir: 'desc' } });
    expect(order()).toEqual(['c', 'a', 'b', 'd']);
    expect(screen.getByTestId('grid-header-size').getAttribute('aria-sort')).toBe('descending');
  });

  it('moves with ↑/↓, opens the details with Enter, closes them with Esc', () => {
    const onSelect = vi.fn();
    renderGrid({ onSelect });
    const body = screen.getByTestId('g-body');
    fireEvent.keyDown(body, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('a');
    fireEvent.keyDown(body, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('b');
    expect(document.querySelector('.vrow.selected [data-testid=row]')!.getAttribute('data-id')).toBe('b');
    expect(screen.queryByTestId('g-details')).toBeNull(); // moving does not open
    fireEvent.keyDown(body, { key: 'Enter' });
    expect(screen.getByTestId('details').textContent).toContain('Alpha');
    expect(screen.getByTestId('g-details').getAttribute('aria-label')).toBe('Row Alpha');
    // Open details follow the selection.
    fireEvent.keyDown(body, { key: 'ArrowUp' });
    expect(screen.getByTestId('details').textContent).toContain('beta');
    fireEvent.keyDown(body, { key: 'Escape' });
    expect(screen.queryByTestId('g-details')).toBeNull();
    // The selection stays after Esc.
    expect(document.querySelector('.vrow.selected [data-testid=row]')!.getAttribute('data-id')).toBe('a');
  });

  it('opens the details on a click and closes them with the × button; the selection survives sorting', () => {
    renderGrid();
    fireEvent.click(screen.getAllByTestId('row')[2]!);
    expect(screen.getByTestId('details').textContent).toContain('gamma');
    fireEvent.click(within(screen.getByTestId('grid-header-size')).getByRole('button'));
    expect(screen.getByTestId('details').textContent).toContain('gamma');
    expect(document.querySelector('.vrow.selected [data-testid=row]')!.getAttribute('data-id')).toBe('c');
    fireEvent.click(screen.getByTestId('details-close'));
    expect(screen.queryByTestId('g-details')).toBeNull();
  });

  it('copies the whole body from the details', async () => {
    copySpy.mockClear();
    renderGrid({ label: 'copy' });
    fireEvent.click(screen.getAllByTestId('row')[0]!);
    fireEvent.click(screen.getByTestId('copy-body'));
    await flush();
    expect(copySpy).toHaveBeenCalledWith('{\n  "n": 1\n}');
    expect(screen.getByTestId('copy-body').textContent).toBe('Copied');
    // The Copy button does not select or close anything.
    expect(screen.getByTestId('details').textContent).toContain('beta');
  });

  it('says when no row matches', () => {
    renderGrid({ rows: [], empty: 'Nothing here.' });
    expect(screen.getByTestId('g-empty').textContent).toBe('Nothing here.');
    expect(screen.getByTestId('g').dataset.count).toBe('0');
  });

  it('renders a window of 10,000 rows, and reveals a row on request', async () => {
    const many: Row[] = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}`, name: `n${i}`, size: i, body: {} }));
    const { rerender } = renderGrid({ rows: many, fill: true, fallbackHeight: 220 });
    expect(screen.getByTestId('g').dataset.count).toBe('10000');
    const shown = screen.getAllByTestId('row').length;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(40);
    rerender(
      <Grid
        rows={many}
        columns={COLUMNS}
        rowKey={(r) => r.id}
        rowAttrs={(r) => ({ 'data-testid': 'row', 'data-id': r.id })}
        details={(r) => <div data-testid="details">{r.name}</div>}
        fill
        fallbackHeight={220}
        testId="g"
        label="Things"
        reveal={{ key: 'r7000', token: 1 }}
      />,
    );
    await flush();
    expect(screen.getByTestId('details').textContent).toBe('n7000');
    expect(document.querySelector('.vrow.selected [data-testid=row]')!.getAttribute('data-id')).toBe('r7000');
  });

  it('sortRows: numbers by value, strings naturally and case-insensitively, stable', () => {
    const rows = [{ k: 'item10' }, { k: 'Item2' }, { k: 'item2' }, { k: 'item1' }];
    const cols: GridColumn<{ k: string }>[] = [
      { id: 'k', title: 'K', width: '1fr', render: (r) => r.k, sort: (r) => r.k },
    ];
    expect(sortRows(rows, cols, { column: 'k', dir: 'asc' }).map((r) => r.k)).toEqual([
      'item1',
      'Item2',
      'item2',
      'item10',
    ]);
    expect(sortRows(rows, cols, { column: 'k', dir: 'desc' }).map((r) => r.k)).toEqual([
      'item10',
      'Item2',
      'item2',
      'item1',
    ]);
    expect(sortRows(rows, cols, null)).toBe(rows);
    expect(sortRows(rows, cols, { column: 'missing', dir: 'asc' })).toBe(rows);
  });
});

describe('tab bar overflow', () => {
  it('fitTabs keeps every tab when all fit, else the active one and those on the left, with room for »', () => {
    const w = [80, 80, 80, 80, 80];
    expect(fitTabs(w, 400, 0, 30)).toEqual([true, true, true, true, true]);
    expect(fitTabs(w, 399, 0, 30)).toEqual([true, true, true, true, false]);
    expect(fitTabs(w, 250, 4, 30)).toEqual([true, false, false, false, true]);
    expect(fitTabs(w, 100, 2, 30)).toEqual([false, false, true, false, false]);
  });

  it('lists the tabs that do not fit in the » menu, and selects one from it', () => {
    // happy-dom has no layout: give the bar and its tabs sizes.
    const widths = new Map<string, number>();
    const rect = vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
      this: HTMLElement,
    ) {
      const w = this.getAttribute('role') === 'tab' ? 90 : 0;
      widths.set(this.id, w);
      return { width: w, height: 20, top: 0, left: 0, right: w, bottom: 20, x: 0, y: 0, toJSON: () => ({}) };
    });
    const client = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(function (
      this: HTMLElement,
    ) {
      return this.getAttribute('role') === 'tablist' ? 400 : 0;
    });
    const onSelect = vi.fn();
    render(<TabBar active="overview" onSelect={onSelect} />);
    const over = TABS.filter((t) => screen.getByTestId(`tab-${t.name}`).dataset.overflowed === 'true').map(
      (t) => t.name,
    );
    // 400 px, » takes 30: four tabs of 90 px fit.
    expect(over).toEqual(TABS.slice(4).map((t) => t.name));
    fireEvent.click(screen.getByTestId('tab-more'));
    const menu = screen.getByTestId('tab-menu');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((m) => m.textContent),
    ).toEqual(TABS.slice(4).map((t) => t.label));
    fireEvent.click(screen.getByTestId('tab-menu-crashes'));
    expect(onSelect).toHaveBeenCalledWith('crashes');
    expect(screen.queryByTestId('tab-menu')).toBeNull();
    rect.mockRestore();
    client.mockRestore();
  });
});

describe('legibility helpers', () => {
  it('splitCode: backtick-quoted parts become code, an unpaired backtick stays text', () => {
    expect(splitCode('`max_age` is `1800.0`: write it without a fraction')).toEqual([
      { text: 'max_age', code: true },
      { text: ' is ', code: false },
      { text: '1800.0', code: true },
      { text: ': write it without a fraction', code: false },
    ]);
    expect(splitCode('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(splitCode('')).toEqual([]);
  });

  it('MessageText renders code as <code> text, never markup', () => {
    render(<MessageText text={'use `<img src=x onerror=alert(1)>` here'} testId="m" />);
    const m = screen.getByTestId('m');
    const code = m.querySelector('code')!;
    expect(code.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(code.children).toHaveLength(0);
    expect(m.querySelector('img')).toBeNull();
    expect(m.textContent).toBe('use <img src=x onerror=alert(1)> here');
  });

  it('severity chips take a tone for every vocabulary', () => {
    expect(['error', 'critical', 'high'].map(toneOf)).toEqual(['bad', 'bad', 'bad']);
    expect(['warning', 'medium', 'elevated'].map(toneOf)).toEqual(['warn', 'warn', 'warn']);
    expect(['info', 'low'].map(toneOf)).toEqual(['info', 'info']);
    expect(toneOf('whatever')).toBe('neutral');
    render(<SeverityChip severity="error" testId="c" />);
    expect(screen.getByTestId('c').className).toBe('sev-chip tone-bad');
    expect(screen.getByTestId('c').textContent).toBe('error');
  });

  it('reportFacts reads the key fields of each report type, and survives hostile bodies', () => {
    expect(
      reportFacts({
        type: 'csp-violation',
        body: { effectiveDirective: 'img-src', blockedURL: 'https://x.test/a.png', disposition: 'report' },
      }),
    ).toEqual({
      subject: 'img-src',
      detail: 'https://x.test/a.png',
      disposition: 'report',
    });
    // Delivered (kebab-case) bodies too; an inline violation has no URL but a sample.
    expect(
      reportFacts({
        type: 'csp-violation',
        body: { 'effective-directive': 'script-src-elem', 'blocked-url': 'inline', disposition: 'enforce' },
      }).subject,
    ).toBe('script-src-elem');
    expect(reportFacts({ type: 'deprecation', body: { id: 'UnloadHandler', message: 'gone soon' } })).toEqual({
      subject: 'UnloadHandler',
      detail: 'gone soon',
      disposition: '',
    });
    expect(
      reportFacts({ type: 'permissions-policy-violation', body: { featureId: 'camera', disposition: 'enforce' } })
        .subject,
    ).toBe('camera');
    expect(
      reportFacts({ type: 'csp-violation', body: { effectiveDirective: { toString: 1 }, blockedURL: 7 } }),
    ).toEqual({ subject: '', detail: '7', disposition: '' });
    expect(reportFacts({ type: 'x', body: null as never })).toEqual({ subject: '', detail: '', disposition: '' });
    expect(reportFacts({ type: 'deprecation', body: { message: 'y'.repeat(10_000) } }).detail.length).toBe(2000);
  });
});
