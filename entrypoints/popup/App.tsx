import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { EmptyState } from '@/components/common/EmptyState';
import { PopupView } from '@/components/popup/PopupView';
import type { TabSummary } from '@/utils/tab/types';
import type { Transport } from '@/utils/messaging/protocol';

export interface PopupAppProps {
  transport: Transport;
  tabId: number | null;
  clock?: () => number;
  /** Re-ask for the summary this often while open, for live countdowns; 0 asks once. */
  refreshMs?: number;
  copy?: (text: string) => Promise<boolean>;
  /** The first summary's request, already sent (main.tsx asks before anything renders); used instead of a first ask. */
  first?: Promise<TabSummary>;
  /** A summary the page already shows (the background rendered it into popup.html) and the time it was derived at. */
  initial?: { summary: TabSummary; now: number };
}

/** The popup: asks the background for the tab's summary and shows it. */
export function App({ transport, tabId, clock = Date.now, refreshMs = 1000, copy, first, initial }: PopupAppProps) {
  const [summary, setSummary] = useState<TabSummary | null>(initial?.summary ?? null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => initial?.now ?? clock());
  // The clock is read when an answer arrives; a new clock function must not restart the asking.
  const clockRef = useRef(clock);
  clockRef.current = clock;
  // The request main.tsx sent, or the summary already shown, stands for the first ask once only.
  const firstRef = useRef<Promise<TabSummary> | null | undefined>(initial ? null : first);

  // A layout effect, run as the first render commits: a plain effect waits for the next frame, and the headline with it.
  useLayoutEffect(() => {
    if (tabId === null) return;
    let alive = true;
    const given = firstRef.current;
    firstRef.current = undefined;
    const ask = (sent = transport.send('getTabSummary', { tabId })) =>
      sent.then(
        (s) => {
          if (!alive) return;
          setSummary(s);
          setError(null);
          setNow(clockRef.current());
        },
        (e: unknown) => {
          if (alive) setError(e instanceof Error ? e.message : String(e));
        },
      );
    if (given !== null) void ask(given);
    const id = refreshMs > 0 ? setInterval(() => void ask(), refreshMs) : null;
    return () => {
      alive = false;
      if (id !== null) clearInterval(id);
    };
  }, [transport, tabId, refreshMs]);

  let body;
  if (tabId === null) {
    body = (
      <EmptyState title="No tab" testId="popup-no-tab">
        Open the popup from a browser tab, or open this page with <code class="mono">?tabId=N</code>.
      </EmptyState>
    );
  } else if (!summary && error) {
    body = (
      <EmptyState title="Cannot load this tab's status" testId="popup-error" tone="error">
        <div class="mono wrap">{error}</div>
        Report Inspector's background did not answer. If the extension was just updated or reloaded, close and reopen
        this popup.
      </EmptyState>
    );
  } else if (!summary) {
    body = <EmptyState title="Loading…" testId="popup-loading" />;
  } else {
    body = <PopupView summary={summary} now={now} copy={copy} />;
  }
  return <div class="popup-root">{body}</div>;
}
