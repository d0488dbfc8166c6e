// The page relay is put into frames after they load (at once while a panel is open, or after a fallback delay), and
// a top frame it could not reach is reported: relay-injection.ts. The crash checks that follow: crash-detection.test.ts.
import { describe, expect, it, vi } from 'vitest';
import {
  LOAD_FALLBACK_MS,
  RELAY_FILE,
  RelayInjector,
  relayCanRun,
  type InjectionDeps,
} from '@/entrypoints/background/relay-injection';

const ORIGIN = 'https://shop.test';

function injector(opts: { panels?: number[]; fail?: boolean; tabs?: { id?: number; url?: string }[] } = {}) {
  const calls: Parameters<InjectionDeps['executeScript']>[0][] = [];
  const failedTops: number[] = [];
  const inj = new RelayInjector({
    executeScript: async (details) => {
      calls.push(details);
      if (opts.fail) throw new Error('Frame with ID 0 was removed.');
      return [];
    },
    hasPanel: (tabId) => (opts.panels ?? []).includes(tabId),
    onTopFailed: (tabId) => failedTops.push(tabId),
    queryTabs: async () => opts.tabs ?? [],
  });
  return { inj, calls, failedTops };
}

describe('relay injection', () => {
  it('puts the relay into a frame once it has loaded, not as it commits', async () => {
    const { inj, calls } = injector();
    await inj.committed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    await inj.completed({ tabId: 4, frameId: 7, url: 'http://127.0.0.1:8080/frame' });
    expect(calls).toEqual([
      { target: { tabId: 4, frameIds: [0] }, files: [RELAY_FILE] },
      { target: { tabId: 4, frameIds: [7] }, files: [RELAY_FILE] },
    ]);
  });

  it('puts it in at once, as the document commits, while a panel is open for the tab', async () => {
    const { inj, calls } = injector({ panels: [4] });
    await inj.committed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    await inj.committed({ tabId: 5, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([{ target: { tabId: 4, frameIds: [0] }, files: [RELAY_FILE], injectImmediately: true }]);
  });

  it('reaches every frame of a tab when a panel opens, and shrugs off pages it cannot run in', async () => {
    const ok = injector();
    await ok.inj.injectTab(9);
    expect(ok.calls).toEqual([{ target: { tabId: 9, allFrames: true }, files: [RELAY_FILE] }]);
    const failing = injector({ fail: true });
    await expect(failing.inj.injectTab(9)).resolves.toBeUndefined();
    expect(failing.failedTops).toEqual([]);
  });

  it('skips frames it cannot run in, and reports a top frame it could not reach', async () => {
    const { inj, calls, failedTops } = injector({ fail: true });
    for (const url of ['chrome://settings/', 'about:blank', 'data:text/html,x', 'chrome-extension://abc/x.html']) {
      await inj.completed({ tabId: 4, frameId: 0, url });
    }
    await inj.completed({ tabId: -1, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 3, url: `${ORIGIN}/frame` });
    expect(failedTops).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    expect(failedTops).toEqual([4]);
  });

  it('puts it into a frame still loading 5 s after its commit, unless it loaded or navigated meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const { inj, calls } = injector();
      const frame = (frameId: number) => ({ tabId: 4, frameId, url: `${ORIGIN}/f${frameId}` });
      for (const id of [0, 1, 2, 3]) await inj.committed(frame(id));
      await inj.committed({ tabId: 4, frameId: 5, url: 'about:blank' });
      expect(calls).toEqual([]);
      await inj.completed(frame(1)); // loaded in time: injected now, no second time later
      await vi.advanceTimersByTimeAsync(2000);
      await inj.committed(frame(2)); // a new document in that frame: its own timer starts
      inj.tabRemoved(9);
      await vi.advanceTimersByTimeAsync(LOAD_FALLBACK_MS - 2001);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1], [0], [3]]);
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1], [0], [3], [2]]);
      await inj.committed(frame(6));
      inj.tabRemoved(4);
      await vi.advanceTimersByTimeAsync(LOAD_FALLBACK_MS);
      expect(calls).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reaches the tabs already open when the extension is installed or updated', async () => {
    const { inj, calls } = injector({
      tabs: [
        { id: 1, url: `${ORIGIN}/a` },
        { id: 2, url: 'chrome://newtab/' },
        { id: 3 },
        { url: `${ORIGIN}/b` },
        { id: 5, url: 'http://127.0.0.1:8080/' },
      ],
    });
    await inj.installed();
    expect(calls).toEqual([
      { target: { tabId: 1, allFrames: true }, files: [RELAY_FILE] },
      { target: { tabId: 5, allFrames: true }, files: [RELAY_FILE] },
    ]);
  });

  it('knows where it can run', () => {
    expect(
      ['https://a.example/', 'http://127.0.0.1/', 'file:///tmp/x.html', 'HTTPS://A.EXAMPLE/'].map(relayCanRun),
    ).toEqual([true, true, true, true]);
    expect(
      ['about:blank', 'about:srcdoc', 'chrome://newtab/', 'blob:https://a.example/x', 'javascript:1', ''].map(
        relayCanRun,
      ),
    ).toEqual([false, false, false, false, false, false]);
  });
});
