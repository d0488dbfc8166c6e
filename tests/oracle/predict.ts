// The product's prediction for one oracle case (predictDelivery, DESIGN.md contract 5: the same code the panel's
// routes come from), and the comparison with what Chromium did.

import { predictDelivery } from '@/utils/tab/predict-delivery';
import type { ResolvedCase } from './cases';
import type { Observation } from './harness';

export interface Prediction {
  endpoints?: { name: string; url: string }[];
  /** The observed route's endpoints as the product predicts them, in the order Chromium should try them. */
  deliveries?: { url: string; priority: number; weight: number }[];
  /**
   * network-error cases: the document's NEL `failure_fraction` when below 1. Chromium reports a failure with that
   * probability (net/network_error_logging/network_error_logging_service.cc samples each failure; verified here: a
   * failure_fraction of 0.1 sent nothing for one failure), so one
   * failure may go unreported: "nothing delivered" agrees, a delivery elsewhere still does not.
   */
  sampled?: number;
}

/** The NEL `failure_fraction` of the case's document (1 when absent or not a number). */
function failureFraction(c: ResolvedCase): number {
  const nel = c.responses[c.responses.length - 1]?.headers.find((h) => h.name.toLowerCase() === 'nel');
  try {
    const parsed: unknown = nel ? JSON.parse(nel.value) : null;
    const f = parsed && typeof parsed === 'object' ? (parsed as { failure_fraction?: unknown }).failure_fraction : 1;
    return typeof f === 'number' && f >= 0 && f < 1 ? f : 1;
  } catch {
    return 1;
  }
}

/** Header lines as the browser hands them on: HTTP strips leading and trailing whitespace of each line (RFC 9110 §5.5). */
function received(headers: readonly { name: string; value: string }[]) {
  return headers.map((h) => ({ name: h.name, value: h.value.replace(/^[ \t]+|[ \t]+$/g, '') }));
}

/** What the product predicts for a case, from the responses as Chromium received them. */
export function predict(c: ResolvedCase, now = Date.now()): Prediction {
  const prediction = predictDelivery(
    c.responses.map((r) => ({ url: r.url, headers: received(r.headers) })),
    now,
  );
  if (c.source.kind === 'reporting-endpoints') {
    return { endpoints: prediction.endpoints.map((e) => ({ name: e.name, url: e.url })) };
  }
  const group = c.source.group ?? 'default';
  const type = c.source.reportType ?? 'csp-violation';
  const route = prediction.routes.find((r) => r.reportType === type && r.endpointName === group);
  const deliveries = (route?.endpoints ?? []).map((e) => ({ url: e.url, priority: e.priority, weight: e.weight }));
  const fraction = type === 'network-error' ? failureFraction(c) : 1;
  return fraction < 1 ? { deliveries, sampled: fraction } : { deliveries };
}

/** Chromium gives a report at most this many attempts (net/reporting/reporting_policy.cc max_report_attempts). */
export const MAX_ATTEMPTS = 5;

/**
 * Null when Chromium and the product agree, else what differs, in words. Reporting-Endpoints: the same set of
 * (name, URL). Report-To: every endpoint Chromium tried is one the product lists, in an order the product's
 * priorities allow (lowest `priority` first; within a priority an endpoint of weight 0 only after those with
 * weight > 0, net/reporting/reporting_endpoint_manager.cc), and as many as the product lists (at most 5 attempts).
 */
export function disagreement(prediction: Prediction, observation: Observation): string | null {
  if (observation.endpoints) {
    const key = (l: { name: string; url: string }[]) =>
      l
        .map((e) => `${e.name}=${e.url}`)
        .sort()
        .join(' ');
    return key(observation.endpoints) === key(prediction.endpoints ?? []) ? null : 'endpoints differ';
  }
  const seen = observation.deliveries ?? [];
  // A wss:// endpoint is kept (net/reporting/reporting_header_parser.cc accepts cryptographic schemes), but no
  // upload to it can reach the HTTPS collector, so it cannot be observed here: leave it out on both sides.
  // A fragment is never sent over HTTP (RFC 9110 §4.2.4), so the collector sees the URL without it: compare
  // delivery URLs without their fragment (the Reporting-Endpoints comparison, through CDP, keeps it).
  const said = (prediction.deliveries ?? [])
    .filter((e) => !e.url.startsWith('wss:'))
    .map((e) => ({ ...e, url: e.url.replace(/#.*$/, '') }));
  if (said.length === 0) return seen.length === 0 ? null : 'Chromium delivered, the product predicts nothing';
  if (seen.length === 0)
    return prediction.sampled !== undefined ? null : 'the product predicts delivery, Chromium delivered nothing';
  const rank = new Map<string, [number, number]>();
  for (const e of said) rank.set(e.url, [e.priority, e.weight === 0 ? 1 : 0]);
  const unknown = seen.filter((u) => !rank.has(u));
  if (unknown.length > 0) return `Chromium delivered to ${unknown.join(', ')}, which the product does not list`;
  const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (let i = 1; i < seen.length; i++) {
    if (before(rank.get(seen[i]!)!, rank.get(seen[i - 1]!)!))
      return `Chromium tried ${seen[i]} after ${seen[i - 1]}, the product ranks it earlier`;
  }
  const expected = Math.min(said.length, MAX_ATTEMPTS);
  if (seen.length !== expected) return `Chromium tried ${seen.length} endpoint(s), the product lists ${said.length}`;
  return null;
}
