/**
 * Puts the page relay (`page-relay.js`, ISOLATED world) into frames. Not at `document_start` from the manifest: a
 * script in the extension's isolated world then costs every page load ~3 ms, empty or not (Chromium sets the world
 * up before the page's own scripts run; measured by bench/, README "Performance"). Instead:
 * - once a frame has loaded (`webNavigation.onCompleted`), so the page's load never waits for it;
 * - at once, as a document commits (`onCommitted`, `injectImmediately`), in tabs a Report Inspector panel is open
 *   for: while someone inspects a tab, a crash during its load still finds the relay holding the trail;
 * - into every frame of a tab when a panel opens for it (pages loaded before: the relay ignores a second copy);
 * - 5 s after the document committed when the frame has not finished loading by then (a stalled image, a long
 *   poll). Timed from the commit, an event the background gets anyway: one more webNavigation listener would be
 *   one more trip to the worker during every page load;
 * - into every open tab when the extension is installed or updated (crash detection for pages open before).
 *
 * The page hook keeps what it records until the relay says hello, so nothing is lost unless the page dies or is
 * left before its load ends. A top frame the relay could not be put into is reported (`onTopFailed`): the renderer
 * may have crashed in between, and crash detection looks at the tab then.
 */

/** The built relay, from `entrypoints/page-relay.ts` (an unlisted script). */
export const RELAY_FILE = 'page-relay.js';

export interface InjectionTarget {
  tabId: number;
  frameIds?: number[];
  allFrames?: boolean;
}

/** How long after its document committed a frame that is still loading gets its relay anyway (ms). */
export const LOAD_FALLBACK_MS = 5000;

export interface InjectionDeps {
  executeScript(details: { target: InjectionTarget; files: string[]; injectImmediately?: boolean }): Promise<unknown>;
  /** The open tabs (`tabs.query({})`), for the injection after an install or update. */
  queryTabs?(): Promise<{ id?: number; url?: string }[]>;
  /** True while a Report Inspector panel is open for the tab. */
  hasPanel(tabId: number): boolean;
  /** The relay could not be put into a tab's top frame. */
  onTopFailed(tabId: number): void;
}

export interface FrameEvent {
  tabId: number;
  frameId: number;
  url: string;
}

/** Frames the relay may run in: what `<all_urls>` host access reaches in a frame. */
export function relayCanRun(url: string): boolean {
  return /^(https?|file):/i.test(url);
}

function frameKey(d: FrameEvent): string {
  return `${d.tabId}:${d.frameId}`;
}

export class RelayInjector {
  /** Frames (`tabId:frameId`) waiting for the fallback after their commit. */
  private readonly fallbacks = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: InjectionDeps) {}

  /**
   * `webNavigation.onCommitted`: tabs with an open panel get the relay now; other frames get it when they have
   * loaded, or `LOAD_FALLBACK_MS` from now if they are still loading then.
   */
  committed(d: FrameEvent): Promise<void> {
    this.cancelFallback(d);
    if (this.deps.hasPanel(d.tabId)) return this.inject(d, true);
    if (d.tabId >= 0 && relayCanRun(d.url)) {
      const key = frameKey(d);
      this.fallbacks.set(
        key,
        setTimeout(() => {
          this.fallbacks.delete(key);
          void this.inject(d, false);
        }, LOAD_FALLBACK_MS),
      );
    }
    return Promise.resolve();
  }

  /** `webNavigation.onCompleted`: the frame has loaded. */
  completed(d: FrameEvent): Promise<void> {
    this.cancelFallback(d);
    return this.inject(d, false);
  }

  tabRemoved(tabId: number): void {
    for (const [key, timer] of this.fallbacks) {
      if (key.startsWith(`${tabId}:`)) {
        clearTimeout(timer);
        this.fallbacks.delete(key);
      }
    }
  }

  /** The extension was installed or updated: pages already open get a relay (they have no recorder until reloaded). */
  async installed(): Promise<void> {
    const tabs = (await this.deps.queryTabs?.().catch(() => [])) ?? [];
    await Promise.all(
      tabs.map((t) =>
        t.id !== undefined && t.id >= 0 && relayCanRun(t.url ?? '') ? this.injectTab(t.id) : Promise.resolve(),
      ),
    );
  }

  private cancelFallback(d: FrameEvent): void {
    const key = frameKey(d);
    const timer = this.fallbacks.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.fallbacks.delete(key);
    }
  }

  /** Every frame of the tab that has no relay yet gets one (a panel opened for it; an install or update). */
  injectTab(tabId: number): Promise<void> {
    return this.deps.executeScript({ target: { tabId, allFrames: true }, files: [RELAY_FILE] }).then(
      () => undefined,
      () => undefined, // a tab showing a page the relay cannot run in (chrome://, the Web Store, an error page)
    );
  }

  private async inject(d: FrameEvent, immediately: boolean): Promise<void> {
    if (d.tabId < 0 || !relayCanRun(d.url)) return;
    try {
      await this.deps.executeScript({
        target: { tabId: d.tabId, frameIds: [d.frameId] },
        files: [RELAY_FILE],
        ...(immediately ? { injectImmediately: true } : {}),
      });
    } catch {
      if (d.frameId === 0) this.deps.onTopFailed(d.tabId);
    }
  }
}
