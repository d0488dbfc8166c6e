/** Shapes of what the extension learns about delivery: inbox verdicts and the browser's own queue (deep capture). */
import type { InboxMatch } from './inbox';

/** What reading a collector's inbox found, for one tab (the reply to `readInbox`). */
export interface InboxResult {
  url: string;
  fetchedAt: number;
  /** HTTP status of the inbox request. */
  status: number;
  /** Entries of the inbox that were not uploads of the expected shape. */
  ignored: number;
  match: InboxMatch;
}

/** A report in the browser's own queue, as the DevTools protocol shows it (`Network.ReportingApiReport`). */
export interface BrowserReport {
  id: string;
  type: string;
  initiatorUrl: string;
  destination: string;
  /** Queued, Pending, MarkedForRemoval, Success. */
  status: string;
  completedAttempts: number;
  /** ms epoch */
  timestamp: number;
  body: Record<string, unknown>;
  updatedAt: number;
}

/** Deep capture (the optional `debugger` permission) for a tab: what the browser itself says. */
export interface DeepCaptureState {
  attached: boolean;
  since: number;
  /** Why it stopped: the user cancelled the bar, the tab closed, the panel turned it off, an error. */
  detachReason?: string;
  reports: BrowserReport[];
  /** Endpoints the browser registered, per origin (`Network.reportingApiEndpointsChangedForOrigin`). */
  endpoints: Record<string, { url: string; groupName: string }[]>;
}

/** Whether a collector received a crash's report, as the last inbox read found. */
export interface CrashDelivery {
  status: 'delivered' | 'not-seen';
  /** When the inbox was read (ms epoch). */
  checkedAt: number;
  /** The inbox that was read. */
  inboxUrl: string;
  /** When the collector received the upload that carried the report. */
  receivedAt?: number;
  /** Path of the collector endpoint the upload reached, e.g. `/reports/default`. */
  endpointPath?: string;
  /** The delivered report as the collector received it (bounded), to compare with the prediction. */
  report?: DeliveredReport;
}

/** A report as a collector received it: `{age, type, url, user_agent, body}`, bounded. */
export interface DeliveredReport {
  age: number | null;
  type: string;
  url: string;
  user_agent?: string;
  body: Record<string, unknown>;
}
