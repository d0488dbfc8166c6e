// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { applySearch, MAX_QUERY } from '@/entrypoints/devtools/search';
import { Grid } from '@/components/common/Grid';

afterEach(cleanup);

/** A filter box and a grid in a tab panel, the shape of the panel page. */
function Harness() {
  const [filter, setFilter] = useState('');
  const rows = ['alpha', 'beta', 'gamma'].filter((r) => r.includes(filter));
  return (
    <div>
      <input data-testid="filter-input" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <div role="tabpanel">
        <Grid
          rows={rows}
          columns={[{ id: 'n', title: 'N', width: '1fr', render: (r) => r }]}
          rowKey={(r) => r}
          rowAttrs={(r) => ({ 'data-testid': 'row', 'data-id': r })}
          label="rows"
        />
      </div>
    </div>
  );
}
const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const shown = () => screen.getAllByTestId('row').map((r) => r.dataset.id);
const selected = () => document.querySelector('.vrow.selected [data-testid=row]')?.getAttribute('data-id') ?? null;

describe("DevTools' search drives the panel", () => {
  it('performSearch filters as if typed in the filter box; cancelSearch clears it', async () => {
    render(<Harness />);
    expect(applySearch(document, 'performSearch', 'ta')).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('filter-input').value).toBe('ta');
    await flush();
    expect(shown()).toEqual(['beta']);
    expect(applySearch(document, 'cancelSearch')).toBe(true);
    await flush();
    expect(shown()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('next and previous move the selection in the active grid', async () => {
    render(<Harness />);
    applySearch(document, 'nextSearchResult');
    await flush();
    expect(selected()).toBe('alpha');
    applySearch(document, 'nextSearchResult');
    await flush();
    expect(selected()).toBe('beta');
    applySearch(document, 'previousSearchResult');
    await flush();
    expect(selected()).toBe('alpha');
  });

  it('bounds the query, ignores unknown actions, and does nothing before the panel renders', () => {
    render(<Harness />);
    applySearch(document, 'performSearch', 'x'.repeat(10_000));
    expect(screen.getByTestId<HTMLInputElement>('filter-input').value).toHaveLength(MAX_QUERY);
    expect(applySearch(document, 'somethingElse', 'a')).toBe(false);
    cleanup();
    expect(applySearch(document, 'performSearch', 'a')).toBe(false);
    expect(applySearch(document, 'nextSearchResult')).toBe(false);
  });
});
