// Helpers shared by the end-to-end specs: protocol requests from an extension page, polling a tab's view,
// crashing a tab, opening the panel as a page.
import type { Page, Worker } from '@playwright/test';
import { expect, type DemoServer } from './fixtures';
import type { TabView } from '@/utils/tab/types';
import { request, type PayloadOf, type ReplyOf, type RequestName } from '@/utils/messaging/protocol';

/** A protocol request from an extension page; the reply's type follows from the request's name. */
export type Ask = <K extends RequestName>(name: K, payload: PayloadOf<K>) => Promise<ReplyOf<K>>;

/** Sends one protocol request from an extension page, as the panel and popup do, and returns the reply. */
export function requestFrom<K extends RequestName>(extPage: Page, name: K, payload: PayloadOf<K>): Promise<ReplyOf<K>> {
  return extPage.evaluate(
    (message) =>
      (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
      ).chrome.runtime.sendMessage(message),
    request(name, payload),
  ) as Promise<ReplyOf<K>>;
}

/** Opens an extension page to send protocol requests from. */
export async function asker(openExtensionPage: (p: string) => Promise<Page>): Promise<{ ask: Ask; ext: Page }> {
  const ext = await openExtensionPage('popup.html?tabId=0');
  const ask: Ask = (name, payload) => requestFrom(ext, name, payload);
  return { ask, ext };
}

export async function viewOf(
  ask: Ask,
  tabId: number,
  check: (v: TabView) => boolean,
  what: string,
  timeout = 10_000,
): Promise<TabView> {
  let last: TabView | null = null;
  await expect
    .poll(
      async () => {
        last = await ask('getTabView', { tabId });
        return check(last);
      },
      { message: what, timeout },
    )
    .toBe(true);
  return last!;
}

/** Crashes the page's renderer the way a person would (`chrome://crash` in the address bar). Playwright rejects. */
export async function crash(page: Page): Promise<number> {
  await page.bringToFront();
  const at = Date.now();
  await page.goto('chrome://crash').catch(() => undefined);
  return at;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the panel as an ordinary page on a tab and tab name, with the demo collector as its inbox. */
export async function openPanel(
  openExtensionPage: (p: string) => Promise<Page>,
  tabId: number,
  tab: string,
): Promise<Page> {
  const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=${tab}`);
  await panel.setViewportSize({ width: 1100, height: 900 });
  return panel;
}

export async function readInbox(panel: Page, demo: DemoServer): Promise<void> {
  await panel.getByTestId('inbox-url').fill(`${demo.origin}/reports`);
  await panel.getByTestId('read-inbox').click();
  await expect(panel.getByTestId('inbox-result')).toBeVisible();
}

/** The background's view of tab `tabId`, asked from an extension page the way the panel asks. */
export function tabView(extPage: Page, tabId: number): Promise<TabView> {
  return requestFrom(extPage, 'getTabView', { tabId });
}

/** The toolbar badge of a tab, read in the service worker: text and background colour as `#rrggbb`. */
export function badgeOf(worker: Worker, tabId: number): Promise<{ text: string; color: string }> {
  return worker.evaluate(async (id) => {
    const action = (
      globalThis as unknown as {
        chrome: {
          action: { getBadgeText(d: object): Promise<string>; getBadgeBackgroundColor(d: object): Promise<number[]> };
        };
      }
    ).chrome.action;
    const [r, g, b] = await action.getBadgeBackgroundColor({ tabId: id });
    const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, '0');
    return { text: await action.getBadgeText({ tabId: id }), color: `#${hex(r)}${hex(g)}${hex(b)}` };
  }, tabId);
}
