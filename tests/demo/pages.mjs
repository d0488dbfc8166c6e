// The demo site's pages: one per Reporting API case, each with the headers it is served with, a plain description,
// and what Report Inspector should show for it.

/** @typedef {import('./server.mjs').PageContext} PageContext */
/** @typedef {Record<string, string | string[]>} Headers */
/** @typedef {(name: string) => string} Integrity  SRI hash of an asset under /assets/ */

/**
 * @typedef {{
 *   path: string;
 *   title: string;
 *   summary: string;                          // one line for the index
 *   group: 'headers' | 'activity';
 *   headers: (ctx: PageContext) => Headers;
 *   render: (ctx: PageContext, integrity: Integrity) => string;
 * }} DemoPage
 */

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Template tag: interpolated values are escaped unless wrapped with {@link raw}.
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 */
function h(strings, ...values) {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += stringify(value) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

class Raw {
  /** @param {string} html */
  constructor(html) {
    this.html = html;
  }
  toString() {
    return this.html;
  }
}

/** @param {string} html */
const raw = (html) => new Raw(html);

/** @param {unknown} value @returns {string} */
function stringify(value) {
  if (value instanceof Raw) return value.html;
  if (Array.isArray(value)) return value.map(stringify).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/**
 * Header lines exactly as served, one per line (a repeated header is one line per value).
 * @param {Headers} headers
 */
export function headerLines(headers) {
  return Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`),
  );
}

/**
 * The shared page layout.
 * @param {PageContext} ctx
 * @param {Integrity} integrity
 * @param {{ title: string; lead: unknown; expected?: unknown[]; headers?: Headers; body?: unknown;
 *           scripts?: string[]; observer?: boolean; nonce?: string; back?: boolean; framed?: boolean }} page
 *   `framed`: the page is shown inside another demo page, without the site header.
 */
function layout(
  ctx,
  integrity,
  { title, lead, expected, headers, body, scripts = [], observer = false, nonce, back = true, framed = false },
) {
  const lines = headers ? headerLines(headers) : [];
  const allScripts = ['demo.js', ...scripts];
  return `<!doctype html>
${h`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · Report Inspector demo</title>
<link rel="stylesheet" href="/assets/demo.css">
</head>
<body${framed ? raw(' class="framed"') : ''}>
${framed ? '' : h`<header class="site"><a href="/">Report Inspector demo</a><span class="origin">${ctx.secure ? ctx.origin : ctx.httpOrigin}</span></header>`}
<main>
${ctx.secure ? '' : h`<p class="callout warning">This copy is served over plain HTTP. Chromium ignores <code>Reporting-Endpoints</code> on http:// pages and never uploads reports from them. Open <a href="${ctx.origin}/">the HTTPS site</a> instead.</p>`}
<h1>${title}</h1>
<p class="lead">${lead}</p>
${
  expected && expected.length > 0
    ? h`<section class="expected" aria-labelledby="expected-title">
<h2 id="expected-title">Expected in Report Inspector</h2>
<ul>${expected.map((line) => h`<li>${line}</li>`)}</ul>
</section>`
    : ''
}
${body ?? ''}
${
  observer
    ? h`<section aria-labelledby="observed-title">
<h2 id="observed-title">Reports this page observed</h2>
<p class="hint">Listed by the page's own <code>ReportingObserver</code>, before any upload.</p>
<ul id="observed" class="observed"><li class="empty">None yet.</li></ul>
</section>`
    : ''
}
${
  headers
    ? h`<section aria-labelledby="headers-title">
<h2 id="headers-title">Response headers</h2>
${lines.length > 0 ? h`<pre class="headers" id="served-headers">${lines.join('\n')}</pre>` : h`<p id="served-headers">This document is served without any reporting header.</p>`}
</section>`
    : ''
}
${back ? h`<p class="back"><a href="/">← All cases</a></p>` : ''}
</main>
${allScripts.map(
  (
    name,
  ) => h`<script src="/assets/${name}" integrity="${integrity(name)}" crossorigin="anonymous"${nonce ? h` nonce="${nonce}"` : ''}></script>
`,
)}</body>
</html>`}
`;
}

/** @param {string} label @param {string} [id] */
const violationButton = (label = 'Trigger a CSP violation', id = 'violate') =>
  h`<p><button type="button" id="${id}" data-action="csp-violation">${label}</button>
<span class="hint">Adds an image from <code>https://127.0.0.1:1/x.png</code>, which <code>img-src 'self'</code> blocks before any request is made.</span></p>
<p class="status" id="violation-status" role="status"></p>`;

const crashTip = h`<p class="hint">To send a crash report, type <code>chrome://crash</code> in this tab's address bar: the tab crashes and Chromium uploads a <code>crash</code> report within a second.</p>`;

/**
 * Builds a case page from its parts.
 * @param {Omit<DemoPage, 'render'> & {
 *   lead: (ctx: PageContext) => unknown;
 *   expected: (ctx: PageContext) => unknown[];
 *   body?: (ctx: PageContext) => unknown;
 *   scripts?: string[];
 *   observer?: boolean;
 *   nonce?: boolean;
 * }} spec
 * @returns {DemoPage}
 */
function demoPage(spec) {
  return {
    path: spec.path,
    title: spec.title,
    summary: spec.summary,
    group: spec.group,
    headers: spec.headers,
    render: (ctx, integrity) =>
      layout(ctx, integrity, {
        title: spec.title,
        lead: spec.lead(ctx),
        expected: spec.expected(ctx),
        headers: spec.headers(ctx),
        body: spec.body?.(ctx),
        scripts: spec.scripts,
        observer: spec.observer,
        nonce: spec.nonce ? ctx.nonce : undefined,
      }),
  };
}

/** @param {PageContext} ctx @param {string} name */
const ep = (ctx, name) => `${ctx.origin}/reports/${name}`;
/** @param {unknown} value */
const c = (value) => h`<code>${value}</code>`;

const remembered = (/** @type {PageContext} */ ctx) =>
  h`Report-To groups belong to the origin (${c(ctx.origin)}) and outlive the page: a group set by another page in the last minutes (for example ${c('default')} from /good) still applies here. Visit /max-age-zero first for a clean slate.`;

const queued = () =>
  h`A crash report with nowhere to go is not dropped at once: Chromium keeps it for up to 15 minutes and uploads it if the origin gets a Report-To group ${c('default')} meanwhile (for example by visiting /good).`;

/** @type {DemoPage[]} */
export const CASES = [
  demoPage({
    path: '/good',
    title: 'A working setup',
    summary: 'Reporting-Endpoints, a Report-To group and a CSP that reports: everything resolves.',
    group: 'headers',
    headers: (ctx) => ({
      'Report-To': JSON.stringify({
        group: 'default',
        max_age: 1800,
        endpoints: [{ url: ep(ctx, 'default') }],
        include_subdomains: true,
      }),
      'Reporting-Endpoints': `default="${ep(ctx, 'default')}", csp="${ep(ctx, 'csp')}"`,
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to csp",
    }),
    lead: () =>
      h`${c('Reporting-Endpoints')} names two endpoints for this document, ${c('Report-To')} gives the origin a group called ${c('default')} for 30 minutes, and the Content Security Policy sends its violations to the endpoint ${c('csp')}.`,
    expected: (ctx) => [
      h`2 endpoints: ${c('default')} → ${c(ep(ctx, 'default'))} and ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`1 Report-To group ${c('default')} → ${c(ep(ctx, 'default'))}, expiring in 30 min (include_subdomains).`,
      h`CSP violations → ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`Crash, deprecation and intervention reports → ${c('default')} → ${c(ep(ctx, 'default'))}.`,
      'No errors or warnings.',
    ],
    body: () =>
      h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}${crashTip}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/insecure-endpoint',
    title: 'An http:// endpoint',
    summary: 'The only endpoint is plain HTTP, which Chromium drops.',
    group: 'headers',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ctx.httpOrigin}/reports/default"` }),
    lead: () =>
      h`The page names one endpoint, ${c('default')}, but its URL is ${c('http://')}. Chromium uploads reports only to secure endpoints.`,
    expected: (ctx) => [
      h`1 endpoint ${c('default')} → ${c(`${ctx.httpOrigin}/reports/default`)}, with a warning: Chromium drops http:// endpoints (the specification allows http://localhost; Chromium does not).`,
      'Crash, deprecation and intervention reports have no working endpoint from this document.',
      remembered(ctx),
    ],
    body: () => crashTip,
  }),
  demoPage({
    path: '/invalid-json',
    title: 'Report-To with broken JSON',
    summary: 'Report-To is not valid JSON; Reporting-Endpoints still works.',
    group: 'headers',
    headers: (ctx) => ({
      'Report-To': `{group: "default", "max_age": 1800, "endpoints": [{"url": "${ep(ctx, 'default')}"}]}`,
      'Reporting-Endpoints': `default="${ep(ctx, 'default')}"`,
    }),
    lead: () =>
      h`The ${c('Report-To')} value is not JSON: the property name ${c('group')} is not quoted. Chromium ignores the whole header. ${c('Reporting-Endpoints')} is separate and unaffected.`,
    expected: (ctx) => [
      h`An error on Report-To: the value is not valid JSON, so no group is added (groups the origin already had stay).`,
      h`1 endpoint ${c('default')} → ${c(ep(ctx, 'default'))}.`,
      h`Crash, deprecation and intervention reports → ${c('default')} → ${c(ep(ctx, 'default'))}.`,
    ],
    body: () => crashTip,
  }),
  demoPage({
    path: '/uppercase-csp',
    title: 'An uppercase endpoint name',
    summary: 'CSP says report-to CSP; the endpoint is called csp.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `csp="${ep(ctx, 'csp')}"`,
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to CSP",
    }),
    lead: () =>
      h`The endpoint is defined as ${c('csp')}, and the policy sends its reports to ${c('CSP')}. Endpoint names are structured-field keys, which are always lowercase, and names are compared exactly, so the two never match.`,
    expected: (ctx) => [
      h`1 endpoint ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`A warning on the CSP: ${c('report-to CSP')} can never match an endpoint (names are lowercase); CSP violations are not delivered.`,
      'The violation below still shows in the page (ReportingObserver), but nothing reaches the collector.',
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/no-default',
    title: 'No default endpoint',
    summary: 'Only a csp endpoint: crash reports have nowhere to go.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `csp="${ep(ctx, 'csp')}"`,
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to csp",
    }),
    lead: () =>
      h`CSP violations have an endpoint. Crash, deprecation and intervention reports always go to the endpoint called ${c('default')} (crash reports first try ${c('crash-reporting')}), and this page defines neither.`,
    expected: (ctx) => [
      h`1 endpoint ${c('csp')} → ${c(ep(ctx, 'csp'))}; CSP violations → ${c('csp')}.`,
      h`A warning: no ${c('default')} endpoint, so crash, deprecation and intervention reports go nowhere.`,
      remembered(ctx),
      queued(),
    ],
    body: () =>
      h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}${crashTip}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/nel-mismatch',
    title: 'NEL pointing at Reporting-Endpoints',
    summary: 'NEL names "nel", which exists only in Reporting-Endpoints.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `nel="${ep(ctx, 'nel')}"`,
      NEL: JSON.stringify({ report_to: 'nel', max_age: 3600 }),
    }),
    lead: () =>
      h`Network Error Logging sends its reports to a ${c('Report-To')} group. It never reads ${c('Reporting-Endpoints')}, so the endpoint called ${c('nel')} here is invisible to it.`,
    expected: (ctx) => [
      h`1 endpoint ${c('nel')} → ${c(ep(ctx, 'nel'))}.`,
      h`An error on NEL: ${c('report_to: "nel"')} names a Report-To group, and the origin has no group called ${c('nel')}; the endpoint of that name in Reporting-Endpoints is not used by NEL. Network error reports go nowhere.`,
    ],
  }),
  demoPage({
    path: '/iframe',
    title: 'A frame with its own endpoints',
    summary: 'Top document and child frame each have their own Reporting-Endpoints.',
    group: 'headers',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ep(ctx, 'default')}"` }),
    lead: () =>
      h`${c('Reporting-Endpoints')} belongs to the document that received it. The frame below, ${c('/iframe/child')}, has its own endpoints and its own policy; neither document sees the other's.`,
    expected: (ctx) => [
      h`Top document: 1 endpoint ${c('default')} → ${c(ep(ctx, 'default'))}.`,
      h`Frame ${c('/iframe/child')}: 2 endpoints, ${c('default')} and ${c('child')}, both → ${c(ep(ctx, 'child'))}; its CSP violations → ${c('child')} → ${c(ep(ctx, 'child'))}.`,
      "Clicking the button inside the frame sends the violation to /reports/child, not to the top document's endpoint.",
    ],
    body: () =>
      h`<iframe src="/iframe/child" title="Child frame with its own reporting headers" class="frame"></iframe>`,
  }),
  demoPage({
    path: '/subresource',
    title: 'Report-To from an image',
    summary: "The document sends nothing; an image response sets the origin's Report-To group.",
    group: 'headers',
    headers: () => ({}),
    lead: () =>
      h`This document has no reporting headers. It loads ${c('/assets/report-to.png')}, and that image's response carries ${c('Report-To')}. Report-To is stored per origin, whatever the response, so the image configures the whole origin. Report Inspector records subresource responses while its DevTools panel is open for the tab: open it, then reload this page.`,
    expected: (ctx) => [
      'This document: no Reporting-Endpoints.',
      h`1 Report-To group ${c('default')} → ${c(ep(ctx, 'default'))}, expiring in 10 min, learned from the image ${c(`${ctx.origin}/assets/report-to.png`)}.`,
      h`Crash reports from this page → the origin's Report-To group ${c('default')} → ${c(ep(ctx, 'default'))}.`,
    ],
    body: (
      ctx,
    ) => h`<p><img src="/assets/report-to.png" alt="" width="16" height="16" class="pixel"> The image above is a 1×1 PNG served with:</p>
<pre class="headers">${headerLines({ 'Report-To': JSON.stringify({ group: 'default', max_age: 600, endpoints: [{ url: ep(ctx, 'default') }] }) }).join('\n')}</pre>${crashTip}`,
  }),
  demoPage({
    path: '/max-age-zero',
    title: 'Removing a Report-To group',
    summary: "max_age 0 removes the origin's default group.",
    group: 'headers',
    headers: (ctx) => ({
      'Report-To': JSON.stringify({ group: 'default', max_age: 0, endpoints: [{ url: ep(ctx, 'default') }] }),
    }),
    lead: () =>
      h`A ${c('Report-To')} group with ${c('max_age: 0')} tells the browser to forget the origin's group of that name, for example the one /good or /subresource set.`,
    expected: () => [
      h`The origin's Report-To group ${c('default')} is removed (shown as removed, with no expiry).`,
      'No Reporting-Endpoints: crash, deprecation and intervention reports from this page go nowhere.',
      queued(),
    ],
    body: () => crashTip,
  }),
  demoPage({
    path: '/cloudflare',
    title: 'Cloudflare-style headers',
    summary: 'Escaped slashes in Report-To, NEL to group cf-nel, no default.',
    group: 'headers',
    headers: (ctx) => {
      const escaped = ep(ctx, 'default').replaceAll('/', '\\/');
      return {
        'Report-To': `{"endpoints":[{"url":"${escaped}"}],"group":"cf-nel","max_age":604800}`,
        NEL: '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}',
      };
    },
    lead: () =>
      h`The headers a Cloudflare site sends: JSON with ${c('\\/')} escapes (valid JSON for ${c('/')}), a Report-To group ${c('cf-nel')} kept for 7 days, and a NEL policy that reports failed requests to it.`,
    expected: (ctx) => [
      h`1 Report-To group ${c('cf-nel')} → ${c(ep(ctx, 'default'))} (the escapes decoded), expiring in 7 days.`,
      h`NEL → ${c('cf-nel')} → ${c(ep(ctx, 'default'))}; success_fraction 0, so only failures are reported.`,
      h`A warning: no ${c('default')} endpoint or group, so crash, deprecation and intervention reports go nowhere.`,
      remembered(ctx),
    ],
  }),
  demoPage({
    path: '/repeated',
    title: 'Repeated headers',
    summary: 'Reporting-Endpoints and Report-To each sent twice.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': [`default="${ep(ctx, 'default')}"`, `csp="${ep(ctx, 'csp')}"`],
      'Report-To': [
        JSON.stringify({ group: 'default', max_age: 1800, endpoints: [{ url: ep(ctx, 'default') }] }),
        JSON.stringify({ group: 'nel', max_age: 1800, endpoints: [{ url: ep(ctx, 'nel') }] }),
      ],
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to csp",
      NEL: JSON.stringify({ report_to: 'nel', max_age: 1800 }),
    }),
    lead: () =>
      h`A header that appears twice is read as one value, the two joined by a comma. Each of these headers is a list, so both lines count.`,
    expected: (ctx) => [
      h`2 endpoints: ${c('default')} → ${c(ep(ctx, 'default'))} and ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`2 Report-To groups: ${c('default')} → ${c(ep(ctx, 'default'))} and ${c('nel')} → ${c(ep(ctx, 'nel'))}, both expiring in 30 min.`,
      h`CSP violations → ${c('csp')}; NEL → ${c('nel')} (a Report-To group); crash reports → ${c('default')}.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/all-policies',
    title: 'Every policy that reports',
    summary: 'COOP, COEP, Permissions-, Document- and Integrity-Policy, each with an endpoint.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': ['default', 'coop', 'coep', 'pp', 'dp', 'integrity']
        .map((n) => `${n}="${ep(ctx, n)}"`)
        .join(', '),
      'Cross-Origin-Opener-Policy': 'same-origin; report-to="coop"',
      'Cross-Origin-Opener-Policy-Report-Only': 'same-origin; report-to="coop"',
      'Cross-Origin-Embedder-Policy': 'require-corp; report-to="coep"',
      'Cross-Origin-Embedder-Policy-Report-Only': 'require-corp; report-to="coep"',
      'Permissions-Policy': 'geolocation=();report-to=pp',
      'Document-Policy': 'force-load-at-top=?0;report-to=dp',
      'Integrity-Policy': 'blocked-destinations=(script), endpoints=(integrity)',
    }),
    lead: () =>
      h`Each policy names its endpoint in its own syntax: quoted ${c('report-to="…"')} for COOP and COEP, ${c('report-to=name')} for Permissions-Policy and Document-Policy, ${c('endpoints=(…)')} for Integrity-Policy. This page's own scripts carry integrity hashes and are fetched with CORS, so Integrity-Policy lets them run.`,
    expected: (ctx) => [
      h`6 endpoints: ${c('default')}, ${c('coop')}, ${c('coep')}, ${c('pp')}, ${c('dp')} and ${c('integrity')}, each → ${c(`${ctx.origin}/reports/<name>`)}.`,
      h`Routes: COOP and COOP report-only → ${c('coop')}; COEP and COEP report-only → ${c('coep')}; Permissions-Policy → ${c('pp')}; Document-Policy → ${c('dp')}; Integrity-Policy → ${c('integrity')}; crash, deprecation and intervention → ${c('default')}.`,
      'Every route resolves: no errors.',
      h`The buttons below send a ${c('permissions-policy-violation')} report to ${c('pp')} and an ${c('integrity-violation')} report to ${c('integrity')}.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>
<p><button type="button" id="geolocation" data-action="geolocation">Ask for the location</button>
<span class="hint">Permissions-Policy forbids geolocation here, so this causes a <code>permissions-policy-violation</code> report to <code>pp</code>.</span></p>
<p><button type="button" id="unsigned-script" data-action="unsigned-script">Load a script without integrity</button>
<span class="hint">Integrity-Policy blocks it: an <code>integrity-violation</code> report to <code>integrity</code>.</span></p>
<p class="status" id="violation-status" role="status"></p></section>`,
    observer: true,
  }),
  demoPage({
    path: '/csp-violation',
    title: 'Reports on load',
    summary: 'A CSP violation and a deprecation report as soon as the page loads.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `default="${ep(ctx, 'default')}", csp="${ep(ctx, 'csp')}"`,
      'Content-Security-Policy': `script-src 'self' 'nonce-${ctx.nonce}'; img-src 'self'; report-to csp`,
    }),
    lead: () =>
      h`When it loads, this page adds an image its policy blocks and registers an ${c('unload')} event listener, a feature Chromium deprecates. Both produce reports without a click.`,
    expected: (ctx) => [
      h`2 endpoints: ${c('default')} → ${c(ep(ctx, 'default'))} and ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`A ${c('csp-violation')} report → ${c('csp')} → ${c(ep(ctx, 'csp'))}.`,
      h`A ${c('deprecation')} report (${c('UnloadHandler')}) → ${c('default')} → ${c(ep(ctx, 'default'))}.`,
    ],
    body: () => h`<p class="status" id="load-status" role="status">Running…</p>`,
    scripts: ['csp-violation.js'],
    observer: true,
    nonce: true,
  }),
  demoPage({
    path: '/endpoint-cors',
    title: 'An endpoint on another origin that allows CORS',
    summary: 'Cross-origin endpoint whose preflight succeeds.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `default="${ctx.altOrigin}/reports/default"`,
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to default",
    }),
    lead: (ctx) =>
      h`The endpoint is on ${c(ctx.altOrigin)}, another origin than this page. Before uploading there, Chromium sends a CORS preflight (${c('OPTIONS')}); this collector answers it with ${c('Access-Control-Allow-Origin: *')}.`,
    expected: (ctx) => [
      h`1 endpoint ${c('default')} → ${c(`${ctx.altOrigin}/reports/default`)}.`,
      'An endpoint check finds that the preflight succeeds: reports can be uploaded.',
      h`CSP violations, crash, deprecation and intervention reports → ${c('default')}.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/endpoint-nocors',
    title: 'An endpoint on another origin without CORS',
    summary: 'Cross-origin endpoint that answers the preflight without CORS headers.',
    group: 'headers',
    headers: (ctx) => ({
      'Reporting-Endpoints': `default="${ctx.altOrigin}/nocors/reports/default"`,
      'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to default",
    }),
    lead: (ctx) =>
      h`The endpoint on ${c(ctx.altOrigin)} accepts POST but answers the CORS preflight without any ${c('Access-Control-Allow-*')} header, so Chromium never sends the reports.`,
    expected: (ctx) => [
      h`1 endpoint ${c('default')} → ${c(`${ctx.altOrigin}/nocors/reports/default`)}.`,
      'An endpoint check finds that the preflight fails (no Access-Control-Allow-Origin): no report is ever uploaded.',
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${violationButton()}</section>`,
    observer: true,
  }),
  demoPage({
    path: '/breadcrumbs',
    title: 'Page activity',
    summary: 'Clicks, requests, console messages, navigation and errors to record as breadcrumbs.',
    group: 'activity',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ep(ctx, 'default')}"` }),
    lead: () =>
      "Each button does one thing a crash report's breadcrumb trail should record. Click a few, then crash the tab.",
    expected: () => [
      "One breadcrumb per action, in order: the click (with the button's id, class and text), then what it caused.",
      'Requests with method, URL and status (500 for the failing one, "aborted" for the aborted one); console messages with their level; pushState and hash navigations; the thrown error and the unhandled rejection.',
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>
<div class="buttons">
<button id="buy" class="primary">Add to cart</button>
<button id="xhr">Load with XMLHttpRequest</button>
<button id="console">Write to the console</button>
<button id="push">history.pushState</button>
<button id="hash">Change location.hash</button>
<button id="throw" class="danger">Throw an error</button>
<button id="reject" class="danger">Reject a promise</button>
<button id="fail">Request that fails (500)</button>
<button id="abort">Aborted request</button>
<button id="slow">Slow request (1 s)</button>
</div>
<p class="status" id="result" role="status"></p>${crashTip}</section>`,
    scripts: ['breadcrumbs.js'],
  }),
  demoPage({
    path: '/pii',
    title: 'Personal data in breadcrumbs',
    summary: 'An email, an IP address, a bearer token, a card number and secret URL parameters.',
    group: 'activity',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ep(ctx, 'default')}"` }),
    lead: () => 'These buttons log and request values that must never leave the browser unscrubbed.',
    expected: () => [
      h`Breadcrumbs show the values scrubbed: ${c('[EMAIL]')}, ${c('[IP]')}, ${c('Bearer [TOKEN]')}, ${c('[CARD]')}, and the ${c('token')}, ${c('key')} and ${c('password')} URL parameters redacted.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>
<div class="buttons">
<button id="email">Log an email address</button>
<button id="ip">Log an IPv4 address</button>
<button id="bearer">Request with a bearer token</button>
<button id="card">Log a card number</button>
<button id="secrets">Request a URL with secrets</button>
</div>
<p class="status" id="result" role="status"></p></section>`,
    scripts: ['pii.js'],
  }),
  demoPage({
    path: '/crashsense',
    title: 'A shop with CrashSense',
    summary: 'An app with the CrashSense SDK: checkpoints, crash events, batches and beacons.',
    group: 'activity',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ep(ctx, 'default')}"` }),
    lead: () =>
      h`A small shop instrumented the way the CrashSense SDK does it: it keeps a breadcrumb trail, writes a checkpoint to ${c("sessionStorage['__crashsense_checkpoint']")} every 2 seconds and on every click, classifies errors into crash events and posts them to ${c('/api/crashes')}.`,
    expected: () => [
      'The CrashSense checkpoint: app demo-shop, its session id, the last 20 breadcrumbs, the checkpoint count, and any pre-crash warnings.',
      h`Crash events POSTed to ${c('/api/crashes')}: one for "Throw an error" (category runtime_error, subcategory typeerror), an array of 3 for the batch, and the short plugin form for the beacon.`,
      'Personal data in the breadcrumbs is scrubbed before anything is sent.',
    ],
    body: () => h`<section aria-labelledby="shop-title"><h2 id="shop-title">Shop</h2>
<div class="buttons">
<button id="add-tea" class="primary" data-product="tea">Add tea to cart</button>
<button id="add-mug" data-product="mug">Add mug to cart</button>
<button id="checkout">Check out</button>
</div>
<p class="status" id="cart" role="status">Cart: empty</p>
</section>
<section aria-labelledby="crash-title"><h2 id="crash-title">Crash events</h2>
<div class="buttons">
<button id="throw" class="danger">Throw an error</button>
<button id="batch">Send a batch of 3</button>
<button id="beacon">Send a beacon</button>
<button id="pressure">Record a memory warning</button>
</div>
<p class="status" id="sent" role="status"></p>
<p class="hint">Sent events are listed at <a href="/api/crashes">/api/crashes</a>.</p>
</section>
<section aria-labelledby="checkpoint-title"><h2 id="checkpoint-title">Latest checkpoint</h2>
<pre id="checkpoint" class="json">Not written yet.</pre>
</section>`,
    scripts: ['crashsense.js'],
  }),
  demoPage({
    path: '/crash-context',
    title: 'Crash context and call stacks',
    summary: 'Fills window.crashReport and opts in to JS call stacks in hang reports.',
    group: 'activity',
    headers: (ctx) => ({
      'Reporting-Endpoints': `default="${ep(ctx, 'default')}"`,
      'Document-Policy': 'include-js-call-stacks-in-crash-reports',
    }),
    lead: () =>
      h`This page calls ${c('await crashReport.initialize(4096)')}, then ${c("crashReport.set('route', location.pathname)")} and ${c("crashReport.set('cart', '3 items')")}. Chromium puts the entries set at the moment of a crash in the report's ${c('body.crash_report_api')}. ${c('Document-Policy: include-js-call-stacks-in-crash-reports')} asks Chromium to add the page's JS call stack to reports of a hang (reason ${c('unresponsive')}).`,
    expected: () => [
      h`Crashes tab, "Crash context now": the top frame with ${c('route')} = ${c('/crash-context')} and ${c('cart')} = ${c('3 items')}, each with its size in bytes, and "… of 4,096 bytes used (initialize(4096); initialized)". Each call also appears on the Breadcrumbs tab as a ${c('state')} breadcrumb.`,
      h`"Go to checkout" pushes ${c('/crash-context?step=checkout')} and sets ${c('route')} to ${c('/checkout')}: a crash then predicts ${c('url')} ${c('…/crash-context?step=checkout')} and ${c('crash_report_api')} ${c('{"cart":"3 items","route":"/checkout"}')}. "Delete cart" removes ${c('cart')}; "Set a value that is too large" shows the error Chromium throws.`,
      "Overview and Crashes: hang reports carry the page's JS call stack (the document opts in).",
      h`After ${c('chrome://crash')} and a read of the collector inbox: the delivered report beside the predicted one, field by field, saying they match.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>
<div class="buttons">
<button id="checkout" class="primary">Go to checkout</button>
<button id="add">Add an item</button>
<button id="clear">Delete cart</button>
<button id="too-large" class="danger">Set a value that is too large</button>
</div>
<p class="status" id="context-status" role="status">Setting the crash context…</p>${crashTip}
<p class="hint">${c('chrome://hang')} hangs the renderer instead: Chromium reports it with reason ${c('unresponsive')} once the hang is detected and the renderer is ended.</p></section>`,
    scripts: ['crash-context.js'],
  }),
  demoPage({
    path: '/crash-plain',
    title: 'A crash report without context',
    summary: 'Neither window.crashReport nor the call-stack opt-in.',
    group: 'activity',
    headers: (ctx) => ({ 'Reporting-Endpoints': `default="${ep(ctx, 'default')}"` }),
    lead: () =>
      h`This page sends crash reports to ${c('default')} but never calls ${c('window.crashReport')} and sends no ${c('Document-Policy')}.`,
    expected: () => [
      h`Crashes tab, "Crash context now": no frame has called window.crashReport; a crash predicts ${c('crash_report_api: {}')}.`,
      h`Overview and Crashes: hang reports carry no JS call stack; Chromium writes "Website owner has not opted in for JS call stacks in crash reports." and the panel shows the header that opts in.`,
      h`After ${c('chrome://crash')} and a read of the collector inbox: the delivered report beside the predicted one, saying they match.`,
    ],
    body: () => h`<section aria-labelledby="try-title"><h2 id="try-title">Try it</h2>${crashTip}</section>`,
  }),
];

/** The frame of /iframe. */
export const CHILD_FRAME = /** @type {DemoPage} */ ({
  path: '/iframe/child',
  title: 'Child frame',
  summary: 'The frame inside /iframe.',
  group: 'headers',
  headers: (ctx) => ({
    'Reporting-Endpoints': `default="${ep(ctx, 'child')}", child="${ep(ctx, 'child')}"`,
    'Content-Security-Policy': "default-src 'self'; img-src 'self'; report-to child",
  }),
  render: (ctx, integrity) =>
    layout(ctx, integrity, {
      title: 'Child frame',
      lead: h`This frame's own headers: its endpoints ${c('default')} and ${c('child')} both point to ${c(ep(ctx, 'child'))}.`,
      headers: CHILD_FRAME.headers(ctx),
      body: violationButton('Trigger a CSP violation in this frame'),
      back: false,
      framed: true,
    }),
});

/**
 * The page of `/custom?h=…`.
 * @param {PageContext} ctx
 * @param {Integrity} integrity
 * @param {[string, string | string[]][]} headers
 */
export function customHeadersPage(ctx, integrity, headers) {
  return layout(ctx, integrity, {
    title: 'Custom headers',
    lead: h`This page is served with the headers given in the ${c('h')} parameter, for testing any case.`,
    headers: Object.fromEntries(headers),
    body: violationButton(),
    observer: true,
  });
}

/**
 * @param {PageContext} ctx
 * @param {number} status
 * @param {string} message
 */
export function errorPage(ctx, status, message) {
  return layout(ctx, () => '', {
    title: status === 404 ? 'Not found' : `Error ${status}`,
    lead: message,
  });
}

/**
 * @param {PageContext} ctx
 * @param {Integrity} integrity
 */
export function indexPage(ctx, integrity) {
  const example = `/custom?h=${encodeURIComponent(
    JSON.stringify({
      'Reporting-Endpoints': `default="${ep(ctx, 'default')}"`,
      'Report-To': JSON.stringify({ group: 'default', max_age: 60, endpoints: [{ url: ep(ctx, 'default') }] }),
    }),
  )}`;
  /** @param {'headers' | 'activity'} group */
  const list = (group) =>
    h`<ul class="cases">${CASES.filter((p) => p.group === group).map((p) => h`<li><a href="${p.path}">${p.path}</a> <span>${p.title}.</span> <span class="hint">${p.summary}</span></li>`)}</ul>`;
  return layout(ctx, integrity, {
    title: 'Reporting API cases',
    lead: h`Each page is served with real reporting headers and says what Report Inspector should show for it. Open DevTools on a page and choose the ${c('Report Inspector')} panel.`,
    body: h`<section aria-labelledby="headers-cases"><h2 id="headers-cases">Headers</h2>${list('headers')}
<p><a href="${example}">/custom?h=…</a> <span class="hint">Any headers you like, given as a URL-encoded JSON object of header name → string or array of strings (the link sets a Report-To group that expires in a minute).</span></p>
</section>
<section aria-labelledby="activity-cases"><h2 id="activity-cases">Page activity and crash reports</h2>${list('activity')}</section>
<section aria-labelledby="collector-title"><h2 id="collector-title">Collector</h2>
<ul class="cases">
<li><a href="/reports">/reports</a> <span class="hint">Reports received so far, as JSON (${c('DELETE /reports')} clears them). Endpoints: ${c(`${ctx.origin}/reports/<name>`)}; ${c('/nocors/reports/<name>')} refuses CORS preflights.</span></li>
<li><a href="/api/crashes">/api/crashes</a> <span class="hint">CrashSense crash events posted by /crashsense.</span></li>
</ul>
<p class="hint">Report-To groups belong to the origin (${c(ctx.origin)}) and outlive the page that set them: a page visited earlier changes where a later page's reports go until the group expires. /max-age-zero removes the group ${c('default')}.</p>
<p class="hint">Reports are uploaded only when the page and the endpoint are HTTPS and the certificate is trusted; crash reports arrive within a second, other reports may wait up to a minute.</p>
</section>`,
    back: false,
  });
}
