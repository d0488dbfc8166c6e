// One oracle run as both entry points use it: run the cases, then run every disagreement and every case that could
// not run again in a fresh browser, and keep what that second run saw (a busy machine can delay a page load or a
// delivery; a real difference happens again).

import type { OracleCase } from './cases';
import { runCases, type RunOptions } from './harness';
import { compare, expectedDeliveries, type Summary } from './report';

export interface ConfirmedRun {
  summary: Summary;
  /** Disagreements of the first pass that did not happen again. */
  unconfirmed: number;
}

export async function runAndConfirm(cases: readonly OracleCase[], options: RunOptions = {}): Promise<ConfirmedRun> {
  const opts: RunOptions = { expectedDeliveries, ...options };
  let summary = compare(await runCases(cases, opts));
  const again = summary.compared.filter((c) => c.difference !== null || c.run.observation.skipped);
  if (again.length === 0) return { summary, unconfirmed: 0 };
  const first = summary.disagreements.length;
  options.log?.(
    `oracle: running again in a fresh browser: ${again.map((c) => `${c.run.resolved.source.id} (${c.difference ?? c.run.observation.skipped})`).join(', ')}`,
  );
  const second = compare(
    await runCases(
      again.map((c) => c.run.resolved.source),
      opts,
    ),
  );
  const byId = new Map(second.compared.map((c) => [c.run.resolved.source.id, c.run]));
  summary = compare(summary.compared.map((c) => byId.get(c.run.resolved.source.id) ?? c.run));
  return { summary, unconfirmed: Math.max(0, first - summary.disagreements.length) };
}
