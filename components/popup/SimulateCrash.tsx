import { useState } from 'preact/hooks';
import type { Route } from '@/utils/tab/types';
import { copyText } from '@/components/common/clipboard';
import { RouteVerdict } from '@/components/common/RouteVerdict';

export interface CrashChoice {
  key: 'crash' | 'oom' | 'hang';
  label: string;
  url: string;
  /** The `reason` of the crash report body, when Chromium sets one. */
  reason?: 'oom' | 'unresponsive';
}

export const CRASH_CHOICES: readonly CrashChoice[] = [
  { key: 'crash', label: 'Crash', url: 'chrome://crash/' },
  { key: 'oom', label: 'Out of memory', url: 'chrome://memory-exhaust/', reason: 'oom' },
  { key: 'hang', label: 'Hang', url: 'chrome://hang/', reason: 'unresponsive' },
];

export interface SimulateCrashProps {
  /** Where this tab's crash reports go. */
  crash: Route;
  copy?: (text: string) => Promise<boolean>;
}

/**
 * Copies a crash URL: extensions cannot open chrome:// debug pages, so the person pastes it into the tab's address
 * bar. Says which report to expect and where it will go. Shown only where a crash can be reported (HTTPS pages).
 */
export function SimulateCrash({ crash, copy = copyText }: SimulateCrashProps) {
  const [chosen, setChosen] = useState<{ choice: CrashChoice; copied: boolean } | null>(null);
  const pick = async (choice: CrashChoice) => {
    const copied = await copy(choice.url).catch(() => false);
    setChosen({ choice, copied });
  };
  return (
    <section class="simulate" data-testid="simulate-crash">
      <h2>Simulate a crash</h2>
      <div class="choices">
        {CRASH_CHOICES.map((c) => (
          <button
            type="button"
            class={`btn ${chosen?.choice.key === c.key ? 'active' : ''}`}
            key={c.key}
            data-testid={`copy-${c.key}-url`}
            data-url={c.url}
            onClick={() => void pick(c)}
          >
            {c.label}
          </button>
        ))}
      </div>
      {chosen && (
        <div class="instructions" data-testid="crash-instructions" role="status">
          <div>
            {chosen.copied ? 'Copied ' : 'Copy '}
            <code class="mono" data-testid="crash-url">
              {chosen.choice.url}
            </code>
            {chosen.copied ? '.' : ' (the clipboard refused: select and copy it).'} Paste into the address bar of this
            tab and press Enter; the browser blocks extensions from opening these pages.
          </div>
          <div>
            Expect a report of type <code class="mono">crash</code>
            {chosen.choice.reason ? (
              <>
                {' '}
                with reason <code class="mono">{chosen.choice.reason}</code>
              </>
            ) : (
              ' (no reason)'
            )}
            .
          </div>
          <div data-testid="crash-expected-route">
            It <RouteVerdict route={crash} future />
          </div>
        </div>
      )}
    </section>
  );
}
