/**
 * The page's crash context (`window.crashReport`, CrashReportContext, Chrome 145+) as the extension follows it:
 * what `initialize(bytes)` asked for, the live entries (what Chromium puts in a crash report's
 * `body.crash_report_api`) and how much of the budget they use. Pure: folds validated `crash-context` calls.
 *
 * Chromium's rules, third_party/blink/renderer/core/frame/crash_report_storage.cc:
 * - `initialize(length)` rejects with NotAllowedError when `length` exceeds 65,536
 *   (`mojom::blink::kMaxCrashReportStorageSize`); `set` and `delete` throw InvalidStateError until it resolved.
 * - `set(key, value)` counts the UTF-8 bytes of all entries serialised as one JSON object and throws
 *   NotAllowedError (and keeps the previous state) when they exceed `length`.
 */
import type { CrashContextCall } from './events';

/** The most `initialize` may ask for (crash_report_storage.cc, `kMaxCrashReportStorageSize`). */
export const MAX_CRASH_CONTEXT_BYTES = 65_536;

/** Entries kept per frame; a page that sets more is counted in `overflow` (Chromium's own bound is the byte budget). */
export const MAX_CONTEXT_ENTRIES = 64;

export interface CrashContextEntry {
  key: string;
  value: string;
  /** UTF-8 bytes of `"key":"value"`, measured on the page's real strings. */
  bytes: number;
  /** False when the kept key or value differs from the page's (scrubbed or cut). */
  exact: boolean;
  /** When it was last set (ms epoch). */
  at: number;
}

export interface CrashContextState {
  /** What `initialize(bytes)` asked for; null before the page called it (or when it passed no number). */
  requested: number | null;
  /** `initialized`: a `set` or `delete` succeeded, so the browser accepted the budget. */
  status: 'none' | 'requested' | 'initialized' | 'rejected';
  entries: CrashContextEntry[];
  /** Entries set beyond {@link MAX_CONTEXT_ENTRIES} (not kept). */
  overflow: number;
  /** The last exception a call threw, with the call. */
  lastError?: { op: CrashContextCall['op']; key?: string; error: string; at: number };
  calls: number;
  updatedAt: number;
}

export function emptyCrashContext(now: number): CrashContextState {
  return { requested: null, status: 'none', entries: [], overflow: 0, calls: 0, updatedAt: now };
}

/** Bytes the entries take as Chromium counts them: `{"k":"v",...}` in UTF-8. */
export function crashContextUsed(entries: readonly Pick<CrashContextEntry, 'bytes'>[]): number {
  if (!entries.length) return 2;
  let n = 2 + entries.length - 1;
  for (const e of entries) n += e.bytes;
  return n;
}

/** The entries as Chromium sends them in `body.crash_report_api` (a JSON object, keys in order). */
export function crashReportApi(entries: readonly Pick<CrashContextEntry, 'key' | 'value'>[]): Record<string, string> {
  const out: Record<string, string> = {};
  // base::Value::Dict keeps its keys sorted: the delivered object lists them in that order.
  for (const e of [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    Object.defineProperty(out, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The breadcrumb message that tells a call: `crashReport.set("route", "/checkout")` and what became of it. */
export function describeCrashContextCall(call: CrashContextCall): string {
  const q = (s: string | undefined) => (s === undefined ? '…' : JSON.stringify(s));
  const args =
    call.op === 'initialize'
      ? call.bytes === null || call.bytes === undefined
        ? '…'
        : String(call.bytes)
      : call.op === 'set'
        ? `${q(call.key)}, ${q(call.value)}`
        : q(call.key);
  return `crashReport.${call.op}(${args})${call.error ? ` threw ${call.error}` : ''}`;
}

/** The state after one call (the input is not modified). */
export function applyCrashContextCall(
  state: CrashContextState,
  call: CrashContextCall,
  now: number,
): CrashContextState {
  const next: CrashContextState = { ...state, calls: state.calls + 1, updatedAt: now };
  if (call.error) {
    next.lastError = { op: call.op, error: call.error, at: now, ...(call.key !== undefined ? { key: call.key } : {}) };
    // A refused `set` leaves the entries as they were (crash_report_storage.cc undoes the insertion).
    return next;
  }
  switch (call.op) {
    case 'initialize': {
      const b = typeof call.bytes === 'number' && call.bytes >= 0 ? Math.floor(call.bytes) : null;
      // A second call while the first is pending or done is refused by the browser; keep the first budget.
      if (state.status === 'requested' || state.status === 'initialized') return next;
      next.requested = b;
      next.status = b !== null && b > MAX_CRASH_CONTEXT_BYTES ? 'rejected' : 'requested';
      return next;
    }
    case 'set': {
      if (call.key === undefined || call.value === undefined) return next;
      next.status = 'initialized';
      const entry: CrashContextEntry = {
        key: call.key,
        value: call.value,
        bytes: call.size ?? 0,
        exact: call.exact === true,
        at: now,
      };
      const i = state.entries.findIndex((e) => e.key === call.key);
      if (i >= 0) {
        next.entries = state.entries.slice();
        next.entries[i] = entry;
      } else if (state.entries.length >= MAX_CONTEXT_ENTRIES) {
        next.overflow = state.overflow + 1;
      } else {
        next.entries = [...state.entries, entry];
      }
      return next;
    }
    case 'delete': {
      next.status = 'initialized';
      if (call.key !== undefined) next.entries = state.entries.filter((e) => e.key !== call.key);
      return next;
    }
  }
}
