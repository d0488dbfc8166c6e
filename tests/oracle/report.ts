// Turns oracle runs into the comparison a person reads: "N/M cases agree" and one block per disagreement.

import type { CaseRun } from './harness';
import type { ResolvedCase } from './cases';
import { disagreement, MAX_ATTEMPTS, predict, type Prediction } from './predict';

/** How many endpoints the product expects a report-to case to reach (the harness waits that long). */
export function expectedDeliveries(c: ResolvedCase): number {
  return Math.min(predict(c).deliveries?.length ?? 0, MAX_ATTEMPTS);
}

export interface Compared {
  run: CaseRun;
  prediction: Prediction;
  /** Null when Chromium and the product agree. */
  difference: string | null;
}

export interface Summary {
  compared: Compared[];
  agree: number;
  /** Cases that ran (skipped ones are not counted). */
  total: number;
  skipped: Compared[];
  disagreements: Compared[];
}

export function compare(runs: readonly CaseRun[], now = Date.now()): Summary {
  const compared = runs.map((run): Compared => {
    const prediction = predict(run.resolved, now);
    const difference = run.observation.skipped ? null : disagreement(prediction, run.observation);
    return { run, prediction, difference };
  });
  const skipped = compared.filter((c) => c.run.observation.skipped);
  const disagreements = compared.filter((c) => c.difference !== null);
  const total = compared.length - skipped.length;
  return { compared, agree: total - disagreements.length, total, skipped, disagreements };
}

/** Header lines of every response, as served (values shortened). */
function headerLines(c: Compared): string[] {
  return c.run.resolved.responses.flatMap((r, i) =>
    r.headers.map(
      (h) =>
        `${i === c.run.resolved.responses.length - 1 ? 'document' : `response ${i + 1}`} ${r.url}\n      ${h.name}: ${short(h.value, 400)}`,
    ),
  );
}

function short(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function what(c: Compared, side: 'chromium' | 'product'): string {
  if (side === 'chromium') {
    const o = c.run.observation;
    if (o.endpoints)
      return o.endpoints.length ? o.endpoints.map((e) => `${e.name}=${e.url}`).join(' ') : 'registered no endpoint';
    return o.deliveries?.length ? `tried ${o.deliveries.join(' → ')}` : 'delivered nothing';
  }
  const p = c.prediction;
  if (p.endpoints) return p.endpoints.length ? p.endpoints.map((e) => `${e.name}=${e.url}`).join(' ') : 'no endpoint';
  return p.deliveries?.length
    ? p.deliveries.map((e) => `${e.url} (priority ${e.priority}, weight ${e.weight})`).join(' → ')
    : 'nothing delivered';
}

/** Plain text for the console. */
export function formatText(s: Summary, label: string): string {
  const out = [
    `${label}: ${s.agree}/${s.total} cases agree${s.skipped.length ? ` (${s.skipped.length} skipped)` : ''}`,
  ];
  for (const c of s.disagreements) {
    const src = c.run.resolved.source;
    out.push(
      '',
      `✗ ${src.id} (${src.kind}): ${src.note}${src.group ? ` · CSP report-to ${src.group}` : ''}`,
      ...headerLines(c).map((l) => `    ${l}`),
      `    Chromium: ${what(c, 'chromium')}`,
      `    product:  ${what(c, 'product')}`,
      `    (${c.difference})`,
    );
  }
  for (const c of s.skipped) out.push(`- skipped ${c.run.resolved.source.id}: ${c.run.observation.skipped}`);
  return out.join('\n');
}

/** A Markdown table row per disagreement, for DISAGREEMENTS.md. */
export function formatMarkdown(s: Summary, label: string): string {
  const esc = (t: string) => t.replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('`', "'");
  const rows = s.disagreements.map((c) => {
    const src = c.run.resolved.source;
    const value = c.run.resolved.responses
      .map((r) => r.headers.map((h) => `${h.name}: ${short(h.value, 160)}`).join(' ⏎ ') || '(no header)')
      .join(' ▸ ');
    return `| ${src.id} | ${esc(src.note)} | \`${esc(value)}\` | ${esc(what(c, 'chromium'))} | ${esc(what(c, 'product'))} |`;
  });
  return [
    `### ${label}: ${s.agree}/${s.total} cases agree`,
    '',
    ...(rows.length
      ? ['| case | what varies | value (▸ next response) | Chromium | product |', '|---|---|---|---|---|', ...rows]
      : ['No disagreement.']),
    '',
  ].join('\n');
}

/** One line per case saying what Chromium did (for the fixed cases: the facts the README states). */
export function formatFacts(s: Summary, pick: (id: string) => boolean): string {
  return s.compared
    .filter((c) => pick(c.run.resolved.source.id))
    .map((c) => {
      const src = c.run.resolved.source;
      const seen = c.run.observation.skipped ? `not run (${c.run.observation.skipped})` : what(c, 'chromium');
      return `${c.difference ? '✗' : '✓'} ${src.id}: ${src.note} → Chromium ${seen}`;
    })
    .join('\n');
}
