// Fixtures for driving the real DevTools panel: the worker's Chromium is launched with DevTools opened for every
// tab (`--auto-open-devtools-for-tabs`), and `devtools.openPanel(page)` shows the Report Inspector panel in the
// DevTools of `page` and returns a handle to evaluate in the panel's iframe.
//
// Playwright does not attach to DevTools windows, so this speaks the DevTools protocol itself: a browser-level CDP
// session attaches to the `devtools://` target and to the panel's `chrome-extension://…/devtools-panel.html` iframe
// target (non-flattened sessions, whose messages go through `Target.sendMessageToTarget`).
//
// Found in Chromium 156: DevTools names the panel's view `chrome-extension://<id>ReportInspector` (the title without
// spaces), so both spellings are tried; DevTools reports a theme change to the panel through
// `chrome.devtools.panels.setThemeChangeHandler`, and its theme can be switched from the front-end's settings.
// The context's first tab is fixtures.ts's fixture tab (`keepFixtureTab`), so its worker fixtures work here too.

import { chromium, type CDPSession, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_DIR, expect, keepFixtureTab, test as base } from './fixtures';
import { sleep } from './helpers';
import { chromiumArgs, findChromium } from '../support/chromium.mjs';

export { expect };

/** What `chrome.devtools.panels.create` names the panel; DevTools' view id is the extension origin + the title. */
export const PANEL_TITLE = 'Report Inspector';

type Target = { targetId: string; type: string; url: string };

/**
 * The parts of the DevTools front-end's own modules (`core/common/common.js`, `ui/legacy/legacy.js`) the tests call:
 * front_end/core/common/Settings.ts and front_end/ui/legacy/InspectorView.ts. They ship untyped in Chromium's build.
 */
export type FrontendModules = {
  Common: {
    Settings: { Settings: { instance(): { moduleSetting(name: string): { set(value: unknown): void } } } };
  };
  UI: {
    InspectorView: {
      InspectorView: {
        instance(): {
          currentPanelDeprecated(): {
            performSearch?: (query: { query: string }, a: boolean, b: boolean) => void;
          } | null;
        };
      };
    };
  };
};

/** One CDP target reached through a browser session without flattening. */
class TargetSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly onMessage: (e: { sessionId: string; message: string }) => void;

  private constructor(
    private readonly browser: CDPSession,
    readonly sessionId: string,
    readonly url: string,
  ) {
    this.onMessage = (e) => {
      if (e.sessionId !== this.sessionId) return;
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!waiter) return;
      this.pending.delete(m.id!);
      if (m.error) waiter.reject(new Error(m.error.message));
      else waiter.resolve(m.result);
    };
    browser.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async attach(browser: CDPSession, target: Target): Promise<TargetSession> {
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    return new TargetSession(browser, sessionId, target.url);
  }

  send<T = unknown>(method: string, params: object = {}, timeout = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} got no answer from ${this.url} within ${timeout} ms`));
      }, timeout);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.browser
        .send('Target.sendMessageToTarget', {
          sessionId: this.sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch((e: Error) => this.pending.get(id)?.reject(e));
    });
  }

  /** Evaluates `expression` (awaiting a promise) and returns its value; page exceptions are thrown here. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value as T;
  }

  async detach(): Promise<void> {
    this.browser.off('Target.receivedMessageFromTarget', this.onMessage);
    for (const w of this.pending.values()) w.reject(new Error('detached'));
    this.pending.clear();
    await this.browser.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => {});
  }
}

/** Serialises a function and its argument into an expression for `Runtime.evaluate`. */
function call<A>(fn: (arg: A) => unknown, arg?: A): string {
  return `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`;
}

/** The Report Inspector panel inside a real DevTools window. */
export class DevToolsPanel {
  constructor(
    /** The DevTools front-end (devtools://devtools/bundled/devtools_app.html). */
    readonly frontend: TargetSession,
    /** The panel's iframe (chrome-extension://<id>/devtools-panel.html). */
    readonly panel: TargetSession,
  ) {}

  /** Runs `fn(arg)` in the panel page and returns its (JSON) result. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.panel.evaluate<T>(call(fn, arg));
  }

  /** Visible text of the first element matching `selector`, or null. */
  text(selector: string): Promise<string | null> {
    return this.evaluate((s) => document.querySelector<HTMLElement>(s)?.innerText ?? null, selector);
  }

  /** `innerText` of every element matching `selector`. */
  texts(selector: string): Promise<string[]> {
    return this.evaluate((s) => [...document.querySelectorAll<HTMLElement>(s)].map((e) => e.innerText), selector);
  }

  /** The given attribute of the first element matching `selector`, or null. */
  attribute(selector: string, name: string): Promise<string | null> {
    return this.evaluate(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? null, [selector, name] as const);
  }

  /** Clicks the first element matching `selector` (it must exist). */
  async click(selector: string): Promise<void> {
    const clicked = await this.evaluate((s) => {
      const el = document.querySelector<HTMLElement>(s);
      el?.click();
      return Boolean(el);
    }, selector);
    if (!clicked) throw new Error(`Nothing matches ${selector} in the panel`);
  }

  /** Selects one of the panel's tabs and waits until its tab panel is shown. */
  async selectTab(name: string): Promise<void> {
    await expect
      .poll(
        async () => {
          await this.click(`[data-testid="tab-${name}"]`);
          return this.attribute(`[data-testid="tabpanel-${name}"]`, 'role');
        },
        { message: `panel tab ${name}` },
      )
      .toBe('tabpanel');
  }

  /** Runs `fn(arg)` in the DevTools front-end, with its `Common` and `UI` (legacy) modules as `m`. */
  frontendEvaluate<T, A = undefined>(fn: (m: FrontendModules, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.frontend.evaluate<T>(`(async () => {
      const m = { Common: await import('./core/common/common.js'), UI: await import('./ui/legacy/legacy.js') };
      return (${fn.toString()})(m, ${arg === undefined ? 'undefined' : JSON.stringify(arg)});
    })()`);
  }

  /**
   * Presses a key in the panel's iframe as a person would (CDP Input events reach DevTools' own shortcuts, which
   * an in-page KeyboardEvent does not). `modifiers`: 2 = Ctrl, 4 = Meta, 8 = Shift.
   */
  async press(key: string, code: string, keyCode: number, modifiers = 0): Promise<void> {
    await this.panel.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key,
      code,
      windowsVirtualKeyCode: keyCode,
      modifiers,
    });
    await this.panel.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      key,
      code,
      windowsVirtualKeyCode: keyCode,
      modifiers,
    });
  }

  /** Presses a key in the DevTools window itself (its own UI has the focus), as `press` does in the panel. */
  async pressInDevTools(key: string, code: string, keyCode: number, modifiers = 0): Promise<void> {
    for (const type of ['rawKeyDown', 'keyUp'] as const)
      await this.frontend.send('Input.dispatchKeyEvent', {
        type,
        key,
        code,
        windowsVirtualKeyCode: keyCode,
        modifiers,
      });
  }

  /** The element that has the focus in the DevTools window, through its shadow roots (outerHTML's start), or null. */
  devToolsFocus(): Promise<string | null> {
    return this.frontend.evaluate<string | null>(
      call(() => {
        let a: Element | null = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        return a ? a.outerHTML.slice(0, 200) : null;
      }),
    );
  }

  /** Types text into whatever has the focus in the DevTools window (its search bar, once open). */
  async typeInDevTools(text: string): Promise<void> {
    await this.frontend.send('Input.insertText', { text });
  }

  /** Sets DevTools' theme (Settings → Preferences → Theme): `dark`, `default` (light) or `systemPreferred`. */
  async setDevToolsTheme(theme: 'dark' | 'default' | 'systemPreferred'): Promise<void> {
    await this.frontendEvaluate(
      ({ Common }, t) => Common.Settings.Settings.instance().moduleSetting('ui-theme').set(t),
      theme,
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.panel.detach(), this.frontend.detach()]);
  }
}

export type DevTools = {
  /** The browser-level CDP session. */
  cdp: CDPSession;
  /**
   * Shows the Report Inspector panel in the DevTools window of `page` (opened by `--auto-open-devtools-for-tabs`)
   * and attaches to its iframe. Retries until DevTools has loaded the extension.
   */
  openPanel: (page: Page, options?: { timeout?: number }) => Promise<DevToolsPanel>;
};

async function targets(cdp: CDPSession): Promise<Target[]> {
  return (await cdp.send('Target.getTargets')).targetInfos;
}

export const test = base.extend<{ devtools: DevTools }>({
  // The same browser as fixtures.ts, with DevTools opened for every tab. A separate worker runs these tests, because
  // a file that overrides a worker fixture gets a worker of its own.
  extensionContext: [
    async ({ demo, browserHome }, use) => {
      if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
        throw new Error(
          `No built extension at ${EXTENSION_DIR} (manifest.json is missing). Run \`npm run build\` first, or set EXTENSION_DIR.`,
        );
      }
      const headless = !process.env.HEADED;
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inspector-devtools-profile-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: findChromium(),
        headless,
        args: [
          ...chromiumArgs({ extensionDir: EXTENSION_DIR, headless, shortReportingDelay: true }),
          '--auto-open-devtools-for-tabs',
        ],
        env: { ...process.env, HOME: browserHome },
        ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
        viewport: { width: 1280, height: 800 },
      });
      try {
        if (!context.serviceWorkers().some((w) => w.url().startsWith('chrome-extension://'))) {
          await context.waitForEvent('serviceworker', {
            predicate: (w) => w.url().startsWith('chrome-extension://'),
            timeout: 15_000,
          });
        }
        await keepFixtureTab(context, demo);
        await use(context);
      } finally {
        await context.close().catch(() => {});
        fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  // A tab's DevTools can take longer to open on a busy machine than the worker's 30 s idle timeout: the test's first
  // navigation would then start the worker, and the first navigation right after a start can be missed by its
  // listeners. The worker is started (and warmed up, when it was stopped) before the test gets its tab.
  page: async ({ page, wakeServiceWorker }, use) => {
    await wakeServiceWorker();
    await use(page);
  },

  devtools: async ({ context, extensionId, tabIdOf }, use) => {
    const browser = context.browser();
    if (!browser) throw new Error('The extension context has no browser to open a browser CDP session on.');
    const cdp = await browser.newBrowserCDPSession();
    const opened: DevToolsPanel[] = [];
    const panelIds = [
      `chrome-extension://${extensionId}${PANEL_TITLE}`,
      `chrome-extension://${extensionId}${PANEL_TITLE.replace(/\s+/g, '')}`,
    ];

    // DevTools' front-end loads its modules slowly on a busy machine (measured: 17-21 s for the first import at a load
    // average of 40 on 2 cores): allow two minutes.
    const openPanel = async (page: Page, { timeout = 120_000 } = {}): Promise<DevToolsPanel> => {
      const tabId = await tabIdOf(page);
      const deadline = Date.now() + timeout;
      let lastError = 'no DevTools window yet';

      // 1. The DevTools front-end that inspects `page`: the one whose primary target has the page's URL.
      let frontend: TargetSession | null = null;
      while (!frontend) {
        for (const t of (await targets(cdp)).filter((x) => x.url.startsWith('devtools://devtools/'))) {
          const s = await TargetSession.attach(cdp, t);
          const inspected = await s
            .evaluate<string | null>(
              `(async () => { const SDK = await import('./core/sdk/sdk.js'); return SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? null; })()`,
            )
            .catch(() => null);
          if (inspected === page.url()) {
            frontend = s;
            break;
          }
          await s.detach();
        }
        if (frontend) break;
        if (Date.now() > deadline)
          throw new Error(
            `No DevTools window inspects ${page.url()} (${lastError}). Was Chromium started with --auto-open-devtools-for-tabs?`,
          );
        await sleep(200);
      }

      // 2. Show the panel: DevTools registers it once the extension's devtools page has called panels.create.
      for (;;) {
        try {
          await frontend.evaluate(`(async () => {
            const { InspectorView } = await import('./ui/legacy/legacy.js');
            const view = InspectorView.InspectorView.instance();
            const id = ${JSON.stringify(panelIds)}.find((name) => view.hasPanel(name));
            if (!id) throw new Error('the Report Inspector panel is not registered yet');
            await view.showPanel(id);
            return id;
          })()`);
          break;
        } catch (e) {
          lastError = e instanceof Error ? e.message : String(e);
          if (Date.now() > deadline) {
            await frontend.detach();
            throw new Error(`Could not show the Report Inspector panel: ${lastError}`, { cause: e });
          }
          await sleep(200);
        }
      }

      // 3. The panel's iframe, told apart from other DevTools windows' panels by its inspected tab id.
      for (;;) {
        for (const t of (await targets(cdp)).filter(
          (x) => x.type === 'iframe' && x.url.startsWith(`chrome-extension://${extensionId}/devtools-panel.html`),
        )) {
          const s = await TargetSession.attach(cdp, t);
          const id = await s
            .evaluate<number | null>('globalThis.chrome?.devtools?.inspectedWindow?.tabId ?? null')
            .catch(() => null);
          if (
            id === tabId &&
            (await s.evaluate<boolean>(`!!document.querySelector('[data-testid="filter-input"]')`).catch(() => false))
          ) {
            const panel = new DevToolsPanel(frontend, s);
            opened.push(panel);
            return panel;
          }
          await s.detach();
        }
        if (Date.now() > deadline) {
          await frontend.detach();
          throw new Error(
            `The Report Inspector panel of tab ${tabId} did not load (no devtools-panel.html iframe rendered).`,
          );
        }
        await sleep(200);
      }
    };

    await use({ cdp, openPanel });
    await Promise.all(opened.map((p) => p.close()));
    await cdp.detach().catch(() => {});
  },
});
