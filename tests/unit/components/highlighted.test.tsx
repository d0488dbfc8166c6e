// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Highlighted, highlightParts } from '@/components/common/Highlighted';
import { parseReportingEndpoints } from '@/utils/headers/reporting-endpoints';
import { parseReportTo } from '@/utils/headers/report-to';
import { parsedTab, renderPanel } from './helpers';

afterEach(cleanup);

describe('Highlighted marks exactly the bytes a diagnostic points at', () => {
  it('marks the second of two equal pieces when the offsets say so (no text search)', () => {
    const value = 'a=1, b="https://x.test/", a=1';
    const at = value.lastIndexOf('a=1');
    expect(at).toBe(26);
    render(<Highlighted value={value} start={at} end={at + 3} />);
    const mark = screen.getByTestId('problem-excerpt');
    expect(mark.textContent).toBe('a=1');
    expect(mark.parentElement!.textContent).toBe(value);
    expect(highlightParts(value, at, at + 3)).toMatchObject({
      before: 'a=1, b="https://x.test/", ',
      marked: 'a=1',
      after: '',
    });
  });

  it('for `Main=1` after a URL, the mark starts at `M`, not inside the URL before it', () => {
    const value = 'default="https://r.test/d", Main=1';
    const d = parseReportingEndpoints(value, 'https://shop.test/').diagnostics.find((x) => x.endpointName === 'Main')!;
    const parts = highlightParts(value, d.start, d.end)!;
    expect(parts.marked).toBe('Main=1');
    expect(parts.before).toBe('default="https://r.test/d", ');
  });

  it('marks `"max_age": 1800.0` as written, and the unquoted name in invalid JSON', () => {
    const rt = '{"max_age": 1800.0, "endpoints": [{"url": "https://x.test/"}]}';
    const d = parseReportTo(rt, 'https://shop.test/').diagnostics[0]!;
    expect(highlightParts(rt, d.start, d.end)!.marked).toBe('"max_age": 1800.0');
    const bad = '{group: "default", "max_age": 1800, "endpoints": [{"url": "https://x.test/"}]}';
    const j = parseReportTo(bad, 'https://shop.test/').diagnostics[0]!;
    expect(highlightParts(bad, j.start, j.end)).toMatchObject({ before: '{', marked: 'group' });
  });

  it('refuses offsets that do not fit the value, and marks nothing without them', () => {
    expect(highlightParts('abc', 2, 9)).toBeNull();
    expect(highlightParts('abc', 2, 1)).toBeNull();
    expect(highlightParts('abc', -1, 1)).toBeNull();
    expect(highlightParts('abc', undefined, undefined)).toBeNull();
    const { container } = render(<Highlighted value="abc" start={1} end={7} />);
    expect(container.querySelector('mark')).toBeNull();
    expect(container.textContent).toBe('abc');
  });

  it('an empty span is a caret at its place', () => {
    render(<Highlighted value="abc" start={3} end={3} />);
    const mark = screen.getByTestId('problem-excerpt');
    expect(mark.textContent).toBe('');
    expect(mark.className).toBe('caret');
    expect(mark.getAttribute('title')).toBe('here (character 4)');
  });

  it('keeps the span whole inside a window of a long value', () => {
    const value = `${'x'.repeat(5000)}BAD${'y'.repeat(5000)}`;
    const p = highlightParts(value, 5000, 5003, 100)!;
    expect(p.marked).toBe('BAD');
    expect(p.skippedBefore + p.before.length).toBe(5000);
    expect(p.before.length + p.marked.length + p.after.length).toBe(100);
    expect(p.skippedBefore + p.before.length + 3 + p.after.length + p.skippedAfter).toBe(value.length);
  });
});

describe('Problems tab: value column and details of /invalid-json', () => {
  it('shows the excerpt as written and marks it in the header as received', () => {
    const rt = '{group: "default", "max_age": 1800, "endpoints": [{"url": "https://shop.acme.test/r"}]}';
    const { v, analyses } = parsedTab(
      [
        { name: 'report-to', value: rt },
        { name: 'reporting-endpoints', value: 'default="https://shop.acme.test/r"' },
      ],
      41,
    );
    renderPanel(v, analyses, { tab: 'problems' });
    const row = screen.getAllByTestId('problem-row').find((r) => r.dataset.code === 'report-to-invalid-json')!;
    expect(row.querySelector('[data-testid=problem-excerpt]')!.textContent).toBe('group');
    fireEvent.click(row);
    const mark = screen.getByTestId('problem-highlight');
    expect(mark.textContent).toBe('group');
    expect(mark.dataset.start).toBe('1');
    expect(mark.parentElement!.textContent).toBe(rt);
  });
});
