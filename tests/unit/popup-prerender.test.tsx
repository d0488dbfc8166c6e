// @vitest-environment happy-dom
// The popup's first lines as the background writes them into popup.html, against what the app renders for the same
// summary: the same markup, so the app takes the page over without replacing the headline.
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/popup/App';
import { popupHeaderMarkup, PRERENDER_ID, prerenderPopupHtml, readPrerendered } from '@/components/popup/prerender';
import type { TabSummary } from '@/utils/tab/types';
import type { Transport } from '@/utils/messaging/protocol';
import {
  browserPageSummary,
  configuredSummary,
  crashNotSentSummary,
  insecureSummary,
  IMG,
  nothingConfiguredSummary,
  NOW,
  SCRIPT,
  unknownSummary,
} from '../fixtures/views';
import { flush } from './components/helpers';

afterEach(cleanup);

const PACKAGED =
  '<!doctype html><html><head><script type="module" src="/chunks/popup-x.js"></script></head>' +
  '<body>\n    <div id="app"></div>\n  </body></html>';

const hostile: TabSummary = {
  ...configuredSummary,
  headline: `Reporting to ${SCRIPT} & "${IMG}"`,
  url: `https://acme.test/${'</script><b>'.repeat(40)}?q='x'`,
};
const summaries: [string, TabSummary][] = [
  ['configured', configuredSummary],
  ['crash not sent', crashNotSentSummary],
  ['browser page', browserPageSummary],
  ['insecure', insecureSummary],
  ['nothing configured', nothingConfiguredSummary],
  ['unknown', unknownSummary],
  ['hostile and long', hostile],
];

const answering = () => vi.fn(async () => configuredSummary);
function transport(send = answering()): Transport {
  return { send: send as unknown as Transport['send'], subscribe: () => () => {} };
}

/** A container holding what `markup` parses to. */
function parsed(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = markup;
  return div;
}

describe('the prerendered popup header', () => {
  it.each(summaries)('is the markup the app renders (%s)', (_, summary) => {
    const { container } = render(
      <App transport={transport()} tabId={summary.tabId} refreshMs={0} initial={{ summary, now: NOW }} />,
    );
    const pre = parsed(popupHeaderMarkup(summary));
    const ours = pre.querySelector('.popup-root > .popup > header')!;
    const apps = container.querySelector('.popup-root > .popup > header')!;
    expect(ours.outerHTML).toBe(apps.outerHTML);
    for (const sel of ['.popup-root', '.popup-root > .popup']) {
      const a = container.querySelector(sel)!;
      const b = pre.querySelector(sel)!;
      expect(b.getAttributeNames().map((n) => [n, b.getAttribute(n)])).toEqual(
        a.getAttributeNames().map((n) => [n, a.getAttribute(n)]),
      );
    }
    expect(pre.querySelector('[data-testid="popup-headline"]')!.textContent).toBe(summary.headline);
    expect(pre.querySelectorAll('script, img')).toHaveLength(0);
  });

  it('is kept, node for node, when the app renders into it, which then adds the rest without asking again', async () => {
    const container = parsed(popupHeaderMarkup(configuredSummary));
    document.body.append(container);
    const headline = container.querySelector('[data-testid="popup-headline"]');
    const url = container.querySelector('[data-testid="popup-url"]');
    const send = answering();
    const t = transport(send);
    render(
      <App
        transport={t}
        tabId={configuredSummary.tabId}
        refreshMs={0}
        initial={{ summary: configuredSummary, now: NOW }}
      />,
      {
        container,
      },
    );
    await flush();
    expect(container.querySelector('[data-testid="popup-headline"]')).toBe(headline);
    expect(container.querySelector('[data-testid="popup-url"]')).toBe(url);
    expect(container.querySelectorAll('[data-testid="popup-headline"]')).toHaveLength(1);
    expect(container.querySelector('[data-testid="popup-line-report-to"]')?.textContent).toContain(
      'default expires in 29 min 12 s',
    );
    expect(send).not.toHaveBeenCalled();
  });
});

describe('popup.html with the summary in it', () => {
  it('carries the header in #app and the summary in an inert data block, read back exactly', () => {
    const html = prerenderPopupHtml(PACKAGED, { summary: hostile, now: NOW })!;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('#app [data-testid="popup-headline"]')!.textContent).toBe(hostile.headline);
    // The only scripts: the packaged module and the JSON block (no value closed it early).
    expect([...doc.querySelectorAll('script')].map((s) => s.getAttribute('type'))).toEqual([
      'module',
      'application/json',
    ]);
    expect(doc.querySelectorAll('b, img')).toHaveLength(0);
    expect(readPrerendered(doc, hostile.tabId)).toEqual({ summary: hostile, now: NOW });
  });

  it('leaves a page without an empty #app alone', () => {
    expect(prerenderPopupHtml('<div id="root"></div>', { summary: configuredSummary, now: NOW })).toBeNull();
  });

  it('reads nothing from a page without the block, for another tab, or from a malformed block', () => {
    const withBlock = (text: string) =>
      new DOMParser().parseFromString(
        `<script type="application/json" id="${PRERENDER_ID}">${text}</script>`,
        'text/html',
      );
    expect(readPrerendered(new DOMParser().parseFromString(PACKAGED, 'text/html'), 42)).toBeNull();
    const good = JSON.stringify({ summary: configuredSummary, now: NOW });
    expect(readPrerendered(withBlock(good), configuredSummary.tabId)).not.toBeNull();
    expect(readPrerendered(withBlock(good), configuredSummary.tabId + 1)).toBeNull();
    expect(readPrerendered(withBlock('{"summary":'), configuredSummary.tabId)).toBeNull();
    expect(readPrerendered(withBlock('null'), configuredSummary.tabId)).toBeNull();
    expect(
      readPrerendered(withBlock(JSON.stringify({ summary: configuredSummary })), configuredSummary.tabId),
    ).toBeNull();
  });
});

describe('the popup app started with its first request already sent', () => {
  it('shows that reply and does not ask a second time for it', async () => {
    const send = answering();
    const t = transport(send);
    let answer!: (s: TabSummary) => void;
    const first = new Promise<TabSummary>((r) => (answer = r));
    const { getByTestId } = render(<App transport={t} tabId={42} refreshMs={0} first={first} clock={() => NOW} />);
    expect(getByTestId('popup-loading')).toBeTruthy();
    answer(configuredSummary);
    await flush();
    expect(getByTestId('popup-headline').textContent).toBe(configuredSummary.headline);
    expect(send).not.toHaveBeenCalled();
  });

  it('shows its failure', async () => {
    const first = Promise.reject(new Error('Receiving end does not exist.'));
    const { getByTestId } = render(<App transport={transport()} tabId={42} refreshMs={0} first={first} />);
    await flush();
    expect(getByTestId('popup-error').textContent).toContain('Receiving end does not exist');
  });
});
