/**
 * What the panel's delivery features (endpoint checks, collector inbox, deep capture) show and do, as props: the
 * app owns the state and the requests, the components only render it and call back.
 */
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import type { InboxResult } from '@/utils/messaging/protocol';

/** `granted`: deep capture can start; `requestable`: the browser asks first; `unavailable`: not in this browser. */
/**
 * `needs-build`: Chromium with the default build, where `debugger` is listed as optional but Chromium drops it
 * (it cannot be optional); deep capture needs the deep-capture build.
 */
export type DeepAvailability = 'granted' | 'requestable' | 'unavailable' | 'needs-build';

export interface AsyncState<T> {
  pending: boolean;
  result?: T;
  error?: string;
}

export interface DeliveryControls {
  /** Endpoint checks by {@link checkKey}. */
  checks: Readonly<Record<string, AsyncState<EndpointCheckResult>>>;
  onCheckEndpoint?: (url: string, pageUrl: string) => void;
  inboxUrl: string;
  onInboxUrl?: (url: string) => void;
  inbox: AsyncState<InboxResult> | null;
  onReadInbox?: () => void;
  deepAvailability: DeepAvailability;
  deepPending: boolean;
  deepError: string | null;
  onDeepCapture?: (on: boolean) => void;
  onCrashTab?: () => void;
}

/** The key of an endpoint check: the same endpoint checked for another page origin is another check. */
export function checkKey(url: string, pageUrl: string): string {
  let origin = pageUrl;
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    /* keep the raw value */
  }
  return `${url} ${origin}`;
}
