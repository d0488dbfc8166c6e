// The full Chromium oracle: `npm run oracle`. Prints "N/M cases agree" and every disagreement, rewrites
// tests/oracle/DISAGREEMENTS.md, and fails when Chromium and the product disagree.

import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PSL_HOSTS } from './known';
import { formatFacts, formatMarkdown, formatText } from './report';
import { runAndConfirm } from './run';
import { FULL_SEED, fullCases } from './slices';

const DISAGREEMENTS = fileURLToPath(new URL('./DISAGREEMENTS.md', import.meta.url));

test('Chromium and the product agree on every generated, known and real-world case', async () => {
  // ORACLE_ONLY=<regex> runs only the cases whose id matches (for re-checking a few after a fix).
  const only = process.env.ORACLE_ONLY ? new RegExp(process.env.ORACLE_ONLY) : null;
  const cases = fullCases().filter((c) => !only || only.test(c.id));
  const started = Date.now();
  const { summary, unconfirmed } = await runAndConfirm(cases, {
    pslHosts: [...PSL_HOSTS],
    log: (l: string) => console.log(l),
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const generated = cases.filter((c) => c.id.startsWith(`g${FULL_SEED}-`)).length;
  const label = `full oracle (seed ${FULL_SEED}, ${generated} generated + ${cases.length - generated} fixed and real-world, ${seconds} s)`;
  console.log(formatText(summary, label));
  console.log(
    `\nWhat Chromium did with the fixed cases:\n${formatFacts(summary, (id) => !id.startsWith('g') && !id.startsWith('rw'))}`,
  );
  if (unconfirmed > 0)
    console.log(`(${unconfirmed} disagreement(s) of the first pass did not happen again in a fresh browser)`);
  if (!only && !process.env.ORACLE_NO_WRITE) {
    const head = fs.existsSync(DISAGREEMENTS) ? fs.readFileSync(DISAGREEMENTS, 'utf8').split('<!-- run -->')[0]! : '';
    fs.writeFileSync(DISAGREEMENTS, `${head}<!-- run -->\n\n${formatMarkdown(summary, label)}`);
  }
  expect(summary.total, 'cases that ran').toBeGreaterThan(cases.length * 0.95);
  expect(summary.disagreements.map((d) => `${d.run.resolved.source.id}: ${d.difference}`)).toEqual([]);
});
