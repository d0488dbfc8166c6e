// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/preact';
import type { PanelStore } from '@/entrypoints/devtools-panel/store';
import { h } from 'preact';
import { SubresourceNote } from '@/components/panel/SubresourceNote';

describe('SubresourceNote', () => {
  const inStore = async (props: Parameters<typeof SubresourceNote>[0], store?: PanelStore) => {
    const { createPanelStore, PanelStoreContext } = await import('@/entrypoints/devtools-panel/store');
    const s = store ?? createPanelStore(() => ({}) as never, 0);
    return { store: s, r: render(h(PanelStoreContext.Provider, { value: s }, h(SubresourceNote, props))) };
  };

  it('asks for a reload only when the page loaded before recording began', async () => {
    const { r: before } = await inStore({ since: 2000, documentAt: 1000, documentId: '0@1000' });
    expect(before.getByTestId('subresource-note').textContent).toContain('reload the page');
    before.unmount();
    for (const props of [
      { since: 2000, documentAt: 3000, documentId: 'a' },
      { since: null, documentAt: 1000, documentId: 'a' },
      { since: 2000, documentId: 'a' },
    ]) {
      const { r } = await inStore(props);
      expect(r.queryByTestId('subresource-note')).toBeNull();
      r.unmount();
    }
  });

  it('is shown once per panel: for the first page it applies to, until dismissed', async () => {
    const { store, r } = await inStore({ since: 2000, documentAt: 1000, documentId: 'first' });
    expect(r.getByTestId('subresource-note')).toBeTruthy();
    await new Promise((ok) => setTimeout(ok, 0));
    r.unmount();
    // Another page that also loaded before recording: not again.
    const { r: second } = await inStore({ since: 2000, documentAt: 1500, documentId: 'second' }, store);
    expect(second.queryByTestId('subresource-note')).toBeNull();
    second.unmount();
    const { r: again } = await inStore({ since: 2000, documentAt: 1000, documentId: 'first' }, store);
    fireEvent.click(again.getByTestId('subresource-note-dismiss'));
    expect(again.queryByTestId('subresource-note')).toBeNull();
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
