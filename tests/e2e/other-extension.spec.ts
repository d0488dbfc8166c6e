// Another extension installed beside Report Inspector, as a hostile one would be: it knows the id and the
// protocol, and tries every request, a panel port and a relay port. None gets through: the background listens to
// its own pages and content scripts only (no `onMessageExternal`, no `onConnectExternal`), so nothing is read,
// cleared, stored or sent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures';
import { request, type RequestMessage } from '@/utils/messaging/protocol';
import { extensionIdOf } from './fixtures';
import { asker, viewOf } from './helpers';

const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-other-extension-'));
fs.writeFileSync(
  path.join(otherDir, 'manifest.json'),
  JSON.stringify({ manifest_version: 3, name: 'Another extension', version: '1' }),
);
fs.writeFileSync(path.join(otherDir, 'probe.html'), '<!doctype html><title>probe</title>');
test.use({ otherExtensionDirs: [otherDir] });
test.afterAll(() => fs.rmSync(otherDir, { recursive: true, force: true }));

type Outcome = { name: string; outcome: string };

test('another extension cannot read, change or use Report Inspector', async ({
  page,
  context,
  demo,
  extensionId,
  tabIdOf,
  openExtensionPage,
}) => {
  await page.goto(`${demo.origin}/good`);
  const tabId = await tabIdOf(page);
  const { ask } = await asker(openExtensionPage);
  const before = await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === `${demo.origin}/good`, '/good');

  const otherId = extensionIdOf(otherDir);
  expect(otherId).not.toBe(extensionId);
  const probe = await context.newPage();
  await probe.goto(`chrome-extension://${otherId}/probe.html`);
  const inboxBefore = demo.reports.length;
  // Every request, well formed as the protocol types it: the other extension speaks the wire format exactly.
  const requests: RequestMessage[] = [
    request('getTabView', { tabId }),
    request('getTabSummary', { tabId }),
    request('clearTabData', { tabId, what: 'breadcrumbs' }),
    request('pageEvents', {
      events: [{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: Date.now(), message: 'forged' } }],
      batch: 'x',
    }),
    request('checkEndpoint', { url: `${demo.origin}/reports/default`, pageUrl: `${demo.origin}/good` }),
    request('readInbox', { url: `${demo.origin}/reports/default`, tabId }),
    request('setDeepCapture', { tabId, on: true }),
    request('crashTab', { tabId }),
  ];
  const outcomes = await probe.evaluate(
    async ([id, tab, messages]) => {
      const chrome = (
        globalThis as unknown as {
          chrome: {
            runtime: {
              sendMessage(id: string, m: unknown): Promise<unknown>;
              connect(
                id: string,
                o: { name: string },
              ): {
                onDisconnect: { addListener(f: () => void): void };
                onMessage: { addListener(f: (m: unknown) => void): void };
                postMessage(m: unknown): void;
              };
              lastError?: { message?: string };
            };
          };
        }
      ).chrome;
      const out: { name: string; outcome: string }[] = [];
      for (const message of messages) {
        try {
          const reply = await chrome.runtime.sendMessage(id, message);
          out.push({ name: message.name, outcome: `replied ${JSON.stringify(reply)}` });
        } catch (e) {
          out.push({ name: message.name, outcome: `refused: ${(e as Error).message}` });
        }
      }
      for (const portName of [`panel:${tab}`, 'relay']) {
        const outcome = await new Promise<string>((resolve) => {
          const port = chrome.runtime.connect(id, { name: portName });
          port.onMessage.addListener((m) => resolve(`message ${JSON.stringify(m).slice(0, 80)}`));
          port.onDisconnect.addListener(() => resolve(`disconnected: ${chrome.runtime.lastError?.message ?? ''}`));
          try {
            port.postMessage(messages[0]);
          } catch {
            /* a closed port throws */
          }
          setTimeout(() => resolve('open after 2 s'), 2000);
        });
        out.push({ name: `port ${portName}`, outcome });
      }
      return out;
    },
    [extensionId, tabId, requests] as const,
  );

  for (const o of outcomes as Outcome[]) {
    expect(o.outcome, o.name).toMatch(
      /^(refused|disconnected): .*(Receiving end does not exist|Could not establish connection)/,
    );
  }
  // Nothing changed: the tab still has its document and no forged breadcrumb; no test report was sent.
  const after = await ask('getTabView', { tabId });
  expect(after.state.documents['0']?.url).toBe(before.state.documents['0']?.url);
  expect(after.state.breadcrumbs.some((b) => b.message === 'forged')).toBe(false);
  await new Promise((r) => setTimeout(r, 500));
  expect(demo.reports.length).toBe(inboxBefore);
  test.info().annotations.push({
    type: 'outcomes',
    description: (outcomes as Outcome[]).map((o) => `${o.name}: ${o.outcome}`).join('; '),
  });
});
