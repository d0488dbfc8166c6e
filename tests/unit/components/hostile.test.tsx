// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { TABS } from '@/components/panel/labels-and-filter';
import { PopupView } from '@/components/popup/PopupView';
import { CappedText, UrlText } from '@/components/common/text';
import { Highlighted } from '@/components/common/Highlighted';
import { configuredSummary, HUGE, hostileAnalyses, hostileView, IMG, NOW, SCRIPT } from '../../fixtures/views';
import { renderPanel } from './helpers';

afterEach(cleanup);

function assertInert(root: Element) {
  expect(root.querySelector('script')).toBeNull();
  expect(root.querySelector('img')).toBeNull();
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  for (const a of Array.from(root.querySelectorAll('a'))) {
    expect(a.getAttribute('href')).toMatch(/^https:/);
    expect(a.getAttribute('rel')).toBe('noreferrer');
    expect(a.getAttribute('target')).toBe('_blank');
  }
  // A megabyte-long value is capped, not rendered whole.
  expect(root.innerHTML.length).toBeLessThan(300_000);
}

describe('hostile strings', () => {
  it('render as inert, capped text in every tab', () => {
    const { container } = renderPanel(hostileView, hostileAnalyses);
    for (const t of TABS) {
      fireEvent.click(screen.getByTestId(`tab-${t.name}`));
      for (const row of Array.from(container.querySelectorAll<HTMLElement>('[aria-expanded="false"]'))) {
        fireEvent.keyDown(row, { key: 'Enter' });
      }
      // Every grid's details pane, opened on its first row.
      for (const grid of Array.from(container.querySelectorAll<HTMLElement>('[role=grid]'))) {
        const first = grid.querySelector<HTMLElement>('.vrow');
        if (first) fireEvent.click(first);
      }
      for (const b of Array.from(container.querySelectorAll<HTMLElement>('[data-testid="convert-button"]')))
        fireEvent.click(b);
      assertInert(container);
    }
  });

  it('shows the HTML as text and never links javascript: URLs', () => {
    const { container } = renderPanel(hostileView, hostileAnalyses, { tab: 'endpoints' });
    expect(container.textContent).toContain(IMG);
    const rows = screen.getAllByTestId('endpoint-row');
    expect(rows[0]!.textContent).toContain('javascript:alert(1)');
    expect(rows[0]!.querySelector('a')).toBeNull();
    expect(rows[1]!.querySelector('a')!.getAttribute('href')).toBe(
      'https://ok.test/%3Cimg%20src=x%20onerror=%22window.__pwned=1%22%3E',
    );
    fireEvent.click(screen.getByTestId('tab-overview'));
    expect(screen.getByTestId('crash-verdict').querySelector('a')).toBeNull();
    expect(screen.getByTestId('crash-verdict').textContent).toContain('javascript:alert(1)');
  });

  it('marks a hostile excerpt as text', () => {
    renderPanel(hostileView, hostileAnalyses, { tab: 'problems' });
    const mark = screen.getAllByTestId('problem-excerpt')[0]!;
    expect(mark.textContent).toBe(SCRIPT);
    expect(mark.children).toHaveLength(0);
  });

  it('caps text at 2,000 characters with a note', () => {
    render(<CappedText text={HUGE} testId="t" />);
    expect(screen.getByTestId('t').textContent).toBe(`${'A'.repeat(2000)}… (1,046,576 more characters)`);
  });

  it('windows a long header value around the marked span', () => {
    const value = `${'x'.repeat(100_000)}BAD${'y'.repeat(100_000)}`;
    const { container } = render(<Highlighted value={value} start={100_000} end={100_003} />);
    expect(container.querySelector('mark')!.textContent).toBe('BAD');
    expect(container.textContent.length).toBeLessThan(2_200);
    expect(container.textContent).toContain('more characters');
  });

  it('links https only', () => {
    const { container } = render(
      <div>
        <UrlText url="javascript:alert(1)" />
        <UrlText url="data:text/html,<b>x</b>" />
        <UrlText url="http://plain.test/" />
        <UrlText url="https://fine.test/a" />
      </div>,
    );
    const links = container.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.href).toBe('https://fine.test/a');
  });

  it('keeps the popup inert', () => {
    const { container } = render(
      <PopupView
        now={NOW}
        summary={{
          ...configuredSummary,
          headline: SCRIPT,
          url: `javascript:${IMG}`,
          lines: [{ key: 'problems', label: IMG, value: SCRIPT, verdict: HUGE, level: 'error' }],
        }}
      />,
    );
    assertInert(container);
    expect(container.textContent).toContain(SCRIPT);
  });
});
