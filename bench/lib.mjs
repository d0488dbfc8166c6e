// Shared pieces of the bench scripts: bundling product TypeScript for Node, statistics, and the results table.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The unpacked extension the browser benches load: `$EXTENSION_DIR`, else the WXT build output. */
export const EXTENSION_DIR = path.resolve(ROOT, process.env.EXTENSION_DIR ?? '.output/chrome-mv3');

/**
 * Bundles a TypeScript module of the project (with the `@/` alias) for Node and imports it. Extension APIs are
 * stubbed: the code under measurement gets its storage areas injected.
 */
export async function importTs(entry) {
  const out = await build({
    entryPoints: [path.resolve(ROOT, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    alias: { '@': ROOT },
    plugins: [
      {
        name: 'stub-extension-apis',
        setup(b) {
          b.onResolve({ filter: /^(webextension-polyfill|wxt\/browser)$/ }, () => ({
            path: 'browser',
            namespace: 'stub',
          }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents:
              'const browser = new Proxy({}, { get() { throw new Error("no extension APIs in benches"); } }); export default browser; export { browser };',
          }));
        },
      },
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-'));
  const file = path.join(dir, 'module.mjs');
  fs.writeFileSync(file, out.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * One figure of the table. `max`/`min` is the budget bound (value ≤ max or value ≥ min).
 * @returns {{ figure: string; value: number; unit: string; budget: string; pass: boolean; note?: string }}
 */
export function figure(name, value, unit, { max, min, budget, note } = {}) {
  const pass = Number.isFinite(value) && (max === undefined || value <= max) && (min === undefined || value >= min);
  const r = {
    figure: name,
    value: round(value),
    unit,
    budget: budget ?? (max !== undefined ? `≤ ${fmt(max)}` : `≥ ${fmt(min)}`),
    pass,
  };
  if (note) r.note = note;
  return r;
}

function round(v) {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  return a >= 1000 ? Math.round(v) : a >= 10 ? Math.round(v * 10) / 10 : Math.round(v * 1000) / 1000;
}

export function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(round(v));
}

/** The table as text: figure, value, budget, mark. */
export function table(rows, { budgets = true } = {}) {
  const head = ['figure', 'value', 'budget', budgets ? 'pass' : ''];
  const lines = rows.map((r) => [
    r.figure,
    `${fmt(r.value)} ${r.unit}`,
    r.budget,
    budgets ? (r.pass ? 'PASS' : 'FAIL') : '',
  ]);
  const w = head.map((_, i) => Math.max(head[i].length, ...lines.map((l) => l[i].length)));
  const row = (cells) => '| ' + cells.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [row(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...lines.map(row)].join('\n');
}

/**
 * The number after `flag` on a bench command line (`--loads 20`), or undefined when the flag is not given.
 * @param {string[]} args
 * @param {string} flag
 */
export function numberOption(args, flag) {
  return args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined;
}

/**
 * The `--variant name=dir` options of a bench command line (repeatable), as `{ name, dir }` with `dir` resolved.
 * A name the bench uses itself, a repeated name or an option without `name=dir` is an error that says so.
 * @param {string[]} args
 * @param {string[]} [reserved] names the bench's own profiles already have
 */
export function variantArgs(args, reserved = ['none', 'floor', 'with', 'before']) {
  const seen = new Set(reserved);
  return args.flatMap((a, i) => {
    if (a !== '--variant') return [];
    const value = args[i + 1] ?? '';
    const at = value.indexOf('=');
    const name = value.slice(0, at);
    const dir = value.slice(at + 1);
    if (at <= 0 || !dir) throw new Error(`--variant wants name=dir (a patched copy of the build), got "${value}"`);
    if (seen.has(name)) throw new Error(`--variant ${name}: that name is taken; pick another`);
    seen.add(name);
    return [{ name, dir: path.resolve(dir) }];
  });
}
