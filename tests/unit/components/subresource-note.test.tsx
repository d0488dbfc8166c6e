// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/preact';
import { h } from 'preact';
import { SubresourceNote } from '@/components/panel/SubresourceNote';

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

describe('the panel store keeps the earliest "recorded since"', () => {
  it('across a worker restart (a later since for the same tab), not across tabs', async () => {
    const { createPanelStore } = await import('@/entrypoints/devtools-panel/store');
    const { view, NOW } = await import('../../fixtures/views');
    const store = createPanelStore(() => ({}) as never, NOW);
    store.offerView({ ...view(3), generatedAt: NOW, subresourcesSince: NOW - 60_000 });
    store.offerView({ ...view(3), generatedAt: NOW + 1000, subresourcesSince: NOW + 900 });
    expect(store.view.value?.subresourcesSince).toBe(NOW - 60_000);
    expect(store.view.value?.generatedAt).toBe(NOW + 1000);
    store.offerView({ ...view(4), generatedAt: NOW + 2000, subresourcesSince: NOW + 1900 });
    expect(store.view.value?.subresourcesSince).toBe(NOW + 1900);
  });
});
