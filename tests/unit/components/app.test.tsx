// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/devtools-panel/App';
import type { TabView } from '@/utils/tab/types';
import type { Requests, Transport } from '@/utils/messaging/protocol';
import { configuredView, fixtureAnalyse, NOW } from '../../fixtures/views';
import { flush } from './helpers';

afterEach(cleanup);

/** A transport the test drives: push views, drop the connection, answer requests. */
function fakeTransport(opts: { getTabView?: () => Promise<TabView>; subscribeThrows?: boolean } = {}) {
  let push: ((v: TabView) => void) | null = null;
  let status: ((s: 'connected' | 'reconnecting') => void) | null = null;
  const sent: { name: string; payload: unknown }[] = [];
  const unsubscribe = vi.fn();
  const transport: Transport = {
    async send(name, payload) {
      sent.push({ name, payload });
      if (name === 'getTabView') return (opts.getTabView ?? (() => new Promise<never>(() => {})))() as never;
      return { ok: true } as Requests['clearTabData']['reply'] as never;
    },
    subscribe(_tabId, onView, onStatus) {
      if (opts.subscribeThrows) throw new Error('Extension context invalidated.');
      push = onView;
      status = onStatus ?? null;
      return unsubscribe;
    },
  };
  return {
    transport,
    sent,
    unsubscribe,
    push: (v: TabView) => act(() => push?.(v)),
    status: (s: 'connected' | 'reconnecting') => act(() => status?.(s)),
  };
}

describe('panel app', () => {
  it('renders pushed views and shows reconnecting while the port is down', async () => {
    const t = fakeTransport();
    render(<App transport={t.transport} tabId={42} analyse={fixtureAnalyse} clock={() => NOW} />);
    expect(screen.getByTestId('panel-loading')).toBeTruthy();
    await t.push(configuredView);
    expect(screen.getByTestId('overview-url').textContent).toBe('https://shop.acme.test/checkout');
    expect(screen.getByTestId('connection-status').textContent).toBe('live');
    await t.status('reconnecting');
    expect(screen.getByTestId('connection-status').textContent).toBe('reconnecting…');
    await t.push({ ...configuredView, generatedAt: NOW + 1 });
    expect(screen.getByTestId('connection-status').dataset.status).toBe('connected');
  });

  it('shows an error when the transport fails, and retries', async () => {
    const t = fakeTransport({
      getTabView: () => Promise.reject(new Error('Could not establish connection.')),
      subscribeThrows: true,
    });
    render(<App transport={t.transport} tabId={42} analyse={fixtureAnalyse} />);
    await flush();
    expect(screen.getByTestId('panel-error').textContent).toContain('Could not establish connection.');
    fireEvent.click(screen.getByTestId('retry-button'));
    await flush();
    expect(t.sent.filter((s) => s.name === 'getTabView')).toHaveLength(2);
  });

  it('keeps the newest view when a late reply races a push', async () => {
    let resolve!: (v: TabView) => void;
    const t = fakeTransport({ getTabView: () => new Promise((r) => (resolve = r)) });
    render(<App transport={t.transport} tabId={42} analyse={fixtureAnalyse} />);
    await t.push({ ...configuredView, generatedAt: NOW + 10 });
    await act(async () =>
      resolve({ ...configuredView, generatedAt: NOW, state: { ...configuredView.state, documents: {} } }),
    );
    expect(screen.getByTestId('overview-url')).toBeTruthy();
  });

  it('clears breadcrumbs through the transport and exports the view', async () => {
    const t = fakeTransport();
    const download = vi.fn();
    render(
      <App
        transport={t.transport}
        tabId={42}
        analyse={fixtureAnalyse}
        clock={() => NOW}
        download={download}
        initialTab="breadcrumbs"
      />,
    );
    await t.push(configuredView);
    fireEvent.click(screen.getByTestId('breadcrumb-clear'));
    expect(t.sent).toContainEqual({ name: 'clearTabData', payload: { tabId: 42, what: 'breadcrumbs' } });
    fireEvent.click(screen.getByTestId('export-button'));
    await vi.waitFor(() => expect(download).toHaveBeenCalledTimes(1));
    expect(download).toHaveBeenCalledWith('report-inspector-shop.acme.test-2025-11-21-120304.json', expect.any(String));
    const json = JSON.parse(download.mock.calls[0]![1] as string) as { raw?: unknown };
    expect(json).toMatchObject({
      format: 'report-inspector-bug-report',
      version: 1,
      exportedAt: new Date(NOW).toISOString(),
    });
    expect(json.raw).toBeUndefined();
    // The raw state only when asked for.
    fireEvent.click(screen.getByTestId('export-raw'));
    fireEvent.click(screen.getByTestId('export-button'));
    await vi.waitFor(() => expect(download).toHaveBeenCalledTimes(2));
    expect((JSON.parse(download.mock.calls[1]![1] as string) as { raw?: unknown }).raw).toMatchObject({ tabId: 42 });
  });

  it('recomputes countdowns every tick', async () => {
    vi.useFakeTimers();
    try {
      let now = NOW;
      const t = fakeTransport();
      render(
        <App transport={t.transport} tabId={42} analyse={fixtureAnalyse} clock={() => now} initialTab="endpoints" />,
      );
      await t.push(configuredView);
      const expiry = () => screen.getAllByTestId('group-expiry')[0]!.textContent;
      expect(expiry()).toBe('expires in 29 min 12 s');
      now += 2_000;
      await act(() => {
        vi.advanceTimersByTime(1_000);
      });
      expect(expiry()).toBe('expires in 29 min 10 s');
    } finally {
      vi.useRealTimers();
    }
  });

  it('unsubscribes when unmounted', async () => {
    const t = fakeTransport();
    const { unmount } = render(<App transport={t.transport} tabId={42} analyse={fixtureAnalyse} />);
    await flush();
    unmount();
    await flush();
    expect(t.unsubscribe).toHaveBeenCalled();
  });
});
