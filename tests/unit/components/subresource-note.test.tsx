// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/preact';
import { h } from 'preact';
import { SubresourceNote } from '../../../components/panel/SubresourceNote';

describe('SubresourceNote', () => {
  it('asks for a reload only when the page loaded before recording began', () => {
    const before = render(h(SubresourceNote, { since: 2000, documentAt: 1000 }));
    expect(before.getByTestId('subresource-note').textContent).toContain('reload it');
    before.unmount();
    for (const props of [{ since: 2000, documentAt: 3000 }, { since: null, documentAt: 1000 }, { since: 2000 }]) {
      const r = render(h(SubresourceNote, props));
      expect(r.queryByTestId('subresource-note')).toBeNull();
      r.unmount();
    }
  });
});
