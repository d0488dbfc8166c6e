// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupView } from '@/components/popup/PopupView';
import { App as PopupApp } from '@/entrypoints/popup/App';
import type { TabSummary } from '@/utils/tab/types';
import { crashPastText } from '@/utils/tab/summary';
import type { Transport } from '@/utils/messaging/protocol';
import {
  browserPageSummary,
  configuredSummary,
  crashNotSentSummary,
  insecureSummary,
  nothingConfiguredSummary,
  NOW,
  unknownSummary,
} from '../../fixtures/views';
import { flush } from './helpers';

afterEach(cleanup);

const text = (id: string) => screen.getByTestId(id).textContent ?? '';

describe('popup view', () => {
  it('shows the headline and one line per aspect, coloured by level', () => {
    render(<PopupView summary={configuredSummary} now={NOW} />);
    expect(text('popup-headline')).toBe('Reporting is configured, with 2 problems');
    expect(text('popup-line-reporting-endpoints')).toContain('Reporting-Endpoints: 3 endpoints');
    expect(text('popup-line-report-to')).toContain('default expires in 29 min 12 s');
    expect(screen.getByTestId('popup-line-problems').dataset.level).toBe('error');
    expect(text('popup-hint')).toBe('Open DevTools → Report Inspector for details.');
    expect(screen.queryByTestId('popup-kind-message')).toBeNull();
  });

  it('copies a crash URL and says what to expect', async () => {
    const copy = vi.fn(async () => true);
    render(<PopupView summary={configuredSummary} now={NOW} copy={copy} />);
    fireEvent.click(screen.getByTestId('copy-crash-url'));
    await flush();
    expect(copy).toHaveBeenCalledWith('chrome://crash/');
    expect(text('crash-instructions')).toContain(
      'Paste into the address bar of this tab and press Enter; the browser blocks extensions from opening these pages',
    );
    expect(text('crash-instructions')).toContain('Expect a report of type crash (no reason).');
    expect(text('crash-expected-route')).toBe(
      'It will go to default → https://reports.acme.test/default (Reporting-Endpoints)',
    );

    fireEvent.click(screen.getByTestId('copy-oom-url'));
    await flush();
    expect(copy).toHaveBeenLastCalledWith('chrome://memory-exhaust/');
    expect(text('crash-instructions')).toContain('with reason oom');

    fireEvent.click(screen.getByTestId('copy-hang-url'));
    await flush();
    expect(copy).toHaveBeenLastCalledWith('chrome://hang/');
    expect(text('crash-instructions')).toContain('with reason unresponsive');
  });

  it('says when the clipboard refused', async () => {
    render(<PopupView summary={configuredSummary} now={NOW} copy={async () => false} />);
    fireEvent.click(screen.getByTestId('copy-crash-url'));
    await flush();
    expect(text('crash-instructions')).toContain('the clipboard refused');
  });

  it('shows the last crash in the past tense, with what became of its report', () => {
    const crash = configuredSummary.lastCrash!;
    const withCrash = (c: typeof crash): TabSummary => ({
      ...configuredSummary,
      lastCrash: c,
      lastCrashText: crashPastText(c),
    });
    const { rerender } = render(<PopupView summary={withCrash(crash)} now={NOW} />);
    expect(text('popup-last-crash')).toBe(
      'Crashed at 12:00:04 (oom) on https://shop.acme.test/checkout: its report went to "default" → https://reports.acme.test/default',
    );
    const receivedAt = crash.at + 120;
    rerender(
      <PopupView
        summary={withCrash({
          ...crash,
          delivery: {
            status: 'delivered',
            checkedAt: NOW,
            inboxUrl: 'https://127.0.0.1:8443/reports',
            receivedAt,
            endpointPath: '/reports/default',
          },
        })}
        now={NOW}
      />,
    );
    expect(text('popup-last-crash')).toBe(
      'Crashed at 12:00:04 (oom) on https://shop.acme.test/checkout: its report was delivered (received 12:00:04.120 at /reports/default)',
    );
    expect(screen.getByTestId('popup-last-crash').dataset.status).toBe('delivered');
    rerender(
      <PopupView
        summary={withCrash({
          ...crash,
          delivery: { status: 'not-seen', checkedAt: NOW, inboxUrl: 'https://127.0.0.1:8443/reports' },
        })}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('popup-last-crash').dataset.status).toBe('not-seen');
    expect(text('popup-last-crash')).toContain('(not seen in the inbox yet)');
    rerender(<PopupView summary={withCrash(crashNotSentSummary.lastCrash!)} now={NOW} />);
    expect(text('popup-last-crash')).toBe(
      'Crashed at 12:00:04 (oom) on https://shop.acme.test/checkout: no report was sent (no endpoint named "default")',
    );
  });

  it.each([
    [browserPageSummary, 'browser-page', 'Browser page'],
    [insecureSummary, 'insecure', 'Not HTTPS'],
    [nothingConfiguredSummary, 'nothing-configured', 'Nothing configured'],
    [unknownSummary, 'unknown', 'Reload the page to capture its headers'],
  ] as [TabSummary, string, string][])('has its own message for %#: %s', async (summary, kind, words) => {
    render(<PopupView summary={summary} now={NOW} copy={async () => true} />);
    expect(screen.getByTestId('popup-kind-message').dataset.kind).toBe(kind);
    expect(text('popup-kind-message')).toContain(words);
    if (kind === 'browser-page' || kind === 'insecure') {
      // No crash of this tab can be reported: no crash control.
      expect(screen.queryByTestId('simulate-crash')).toBeNull();
      return;
    }
    fireEvent.click(screen.getByTestId('copy-crash-url'));
    await flush();
    expect(text('crash-expected-route')).toContain('will not be sent');
  });
});

describe('popup app', () => {
  function transport(send: Transport['send']): Transport {
    return { send, subscribe: () => () => {} };
  }

  it('asks for the summary of its tab and renders it', async () => {
    const send = vi.fn(async () => configuredSummary) as unknown as Transport['send'];
    render(<PopupApp transport={transport(send)} tabId={42} refreshMs={0} clock={() => NOW} />);
    expect(screen.getByTestId('popup-loading')).toBeTruthy();
    await flush();
    expect(send).toHaveBeenCalledWith('getTabSummary', { tabId: 42 });
    expect(text('popup-headline')).toBe('Reporting is configured, with 2 problems');
  });

  it('shows the transport failure', async () => {
    const send = (async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as Transport['send'];
    render(<PopupApp transport={transport(send)} tabId={42} refreshMs={0} />);
    await flush();
    expect(text('popup-error')).toContain('Receiving end does not exist');
  });

  it('explains a missing tab', () => {
    render(<PopupApp transport={transport(vi.fn() as unknown as Transport['send'])} tabId={null} />);
    expect(text('popup-no-tab')).toContain('?tabId=N');
  });
});
