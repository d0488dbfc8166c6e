/**
 * `Content-Security-Policy` and `-Report-Only`: which endpoint (`report-to`) or legacy URLs (`report-uri`) each
 * policy reports to, as Chromium reads them (services/network/public/cpp/content_security_policy/
 * content_security_policy.cc). Pure.
 */
import {
  checkEndpointName,
  firstAsciiWhitespace,
  isAsciiWhitespace,
  isPotentiallyTrustworthy,
  parseUrl,
  q,
  splitAsciiWhitespace,
  splitWithOffsets,
  trimAscii,
  type Context,
} from './referencing-kit';

/** Directive names Chromium knows (services/network/.../content_security_policy.cc ToCSPDirectiveName). */
const CSP_DIRECTIVES = new Set([
  'base-uri',
  'block-all-mixed-content',
  'child-src',
  'connect-src',
  'default-src',
  'fenced-frame-src',
  'frame-ancestors',
  'frame-src',
  'font-src',
  'form-action',
  'img-src',
  'manifest-src',
  'media-src',
  'object-src',
  'report-uri',
  'require-trusted-types-for',
  'sandbox',
  'script-src',
  'script-src-attr',
  'script-src-elem',
  'style-src',
  'style-src-attr',
  'style-src-elem',
  'treat-as-public-address',
  'trusted-types',
  'upgrade-insecure-requests',
  'worker-src',
  'report-to',
  'navigate-to',
]);

function isCspDirectiveNameChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

function isCspValueChar(c: number): boolean {
  // Whitespace + VCHAR, but not ',' and ';' (those were split on already).
  return isAsciiWhitespace(c) || (c >= 0x21 && c <= 0x7e);
}

function misspeltReportingDirective(name: string): 'report-to' | 'report-uri' | null {
  const letters = name.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === 'reportto') return 'report-to';
  if (letters === 'reporturi' || letters === 'reporturl') return 'report-uri';
  return null;
}

/** Parses CSP or CSP-Report-Only; offsets are in the values joined by `, `. */
export function parseCsp(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Content-Security-Policy-Report-Only' : 'CSP';
  // Chromium parses each comma-separated chunk of every value as its own policy (RFC 7230 §3.2.2); joining the
  // values with ", " keeps the same chunks.
  const value = values.join(', ');
  for (const chunk of splitWithOffsets(value, ',')) {
    if (chunk.text !== '') parseCspPolicy(ctx, header, label, value, chunk, reportOnly);
  }
}

function parseCspPolicy(
  ctx: Context,
  header: string,
  label: string,
  full: string,
  span: { text: string; start: number; end: number },
  reportOnly: boolean,
): void {
  const policy = span.text;
  const seen = new Set<string>();
  let useReportingApi = false;
  let reportToName: string | null = null;
  let reportToAt: { start: number; end: number } | null = null;
  let reportUriDirective: string | null = null;
  let reportUriAt: { start: number; end: number } | null = null;
  let reportUriTokens: string[] = [];

  for (const piece of splitWithOffsets(full, ';', span.start, span.end)) {
    const directive = piece.text;
    if (directive === '') continue;
    const here = { start: piece.start, end: piece.end };
    const ws = firstAsciiWhitespace(directive);
    const name = ws < 0 ? directive : directive.slice(0, ws);
    const value = ws < 0 ? '' : trimAscii(directive.slice(ws + 1));

    let validName = name.length > 0;
    for (let i = 0; i < name.length && validName; i++) validName = isCspDirectiveNameChar(name.charCodeAt(i));
    const lname = name.toLowerCase();
    if (!validName || !CSP_DIRECTIVES.has(lname)) {
      const meant = misspeltReportingDirective(name);
      if (meant) {
        ctx.out.diag(
          header,
          'csp-misspelt-reporting-directive',
          `${label} ${q(directive)}: ${q(name)} is not a CSP directive, so Chromium ignores it and no reports are sent through it; write ${q(`${meant} ${value || (meant === 'report-to' ? 'csp-endpoint' : '/csp-reports')}`)}.`,
          directive,
          here,
        );
      }
      continue;
    }
    if (seen.has(lname)) {
      ctx.out.diag(
        header,
        'csp-duplicate-directive',
        `${label} ${q(directive)}: the policy already has a ${q(lname)} directive; the first one wins and this one is ignored. Merge them into one directive.`,
        directive,
        here,
      );
      continue;
    }
    seen.add(lname);
    if (lname !== 'report-to' && lname !== 'report-uri') continue;

    let validValue = true;
    for (let i = 0; i < value.length && validValue; i++) validValue = isCspValueChar(value.charCodeAt(i));
    if (!validValue) {
      ctx.out.diag(
        header,
        'csp-invalid-directive-value',
        `${label} ${q(directive)}: the value contains characters outside printable ASCII (non-ASCII letters or control characters), so Chromium ignores the whole \`${lname}\` directive; use only ASCII (percent-encode URLs).`,
        directive,
        here,
      );
      continue;
    }

    if (lname === 'report-to') {
      useReportingApi = true;
      const tokens = splitAsciiWhitespace(value);
      const first = tokens[0];
      if (first === undefined) {
        ctx.out.diag(
          header,
          'csp-report-to-empty',
          `${label} ${q(directive)}: \`report-to\` has no endpoint name, and Chromium then sends this policy's reports nowhere (\`report-uri\` is ignored too); write ${q('report-to csp-endpoint')} with a matching \`Reporting-Endpoints\` entry.`,
          directive,
          here,
        );
      } else {
        reportToName = first;
        reportToAt = here;
        if (tokens.length > 1) {
          ctx.out.diag(
            header,
            'csp-report-to-extra-tokens',
            `${label} ${q(directive)}: \`report-to\` takes a single endpoint name; only ${q(first)} is used and ${q(tokens.slice(1).join(' '))} is ignored. To send reports to several URLs, give one endpoint name several URLs in \`Report-To\`, or keep one name.`,
            directive,
            here,
          );
        }
      }
    } else {
      reportUriDirective = directive;
      reportUriAt = here;
      reportUriTokens = splitAsciiWhitespace(value);
    }
  }

  if (useReportingApi && reportToName !== null) {
    const name = reportToName;
    ctx.out.ref({
      reportType: 'csp-violation',
      endpointName: name,
      header,
      detail: `report-to ${name}`,
      reportOnly,
      namespace: 'endpoints-or-groups',
    });
    checkEndpointName(
      ctx,
      'csp',
      header,
      label,
      name,
      (n) => `report-to ${n}`,
      reportToAt ? { at: reportToAt.start } : {},
    );
  }

  if (reportUriDirective !== null) {
    if (useReportingApi) {
      ctx.out.diag(
        header,
        'csp-report-uri-ignored',
        `${label} ${q(reportUriDirective)}: the policy also has \`report-to\`, so Chromium sends its reports only to the \`report-to\` endpoint and ignores \`report-uri\` (CSP3). Keep \`report-uri\` only as a fallback for browsers without \`report-to\`.`,
        reportUriDirective,
        reportUriAt ?? {},
      );
    } else {
      let kept = 0;
      for (const token of new Set(reportUriTokens)) {
        const url = parseUrl(token, ctx.documentUrl);
        if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
          ctx.out.diag(
            header,
            'csp-report-uri-invalid',
            `${label} \`report-uri\` ${q(token)}: not a valid http(s) URL${ctx.doc ? '' : ' relative to this document'}, so it is ignored; use an absolute \`https://\` URL or a path such as \`/csp-reports\`.`,
            token,
            { at: reportUriAt?.start ?? 0 },
          );
          continue;
        }
        if (ctx.doc?.protocol === 'https:' && !isPotentiallyTrustworthy(url)) {
          ctx.out.diag(
            header,
            'csp-report-uri-mixed-content',
            `${label} \`report-uri\` ${q(token)}: an \`http:\` endpoint on an HTTPS page is ignored by Chromium as mixed content; use ${q(url.href.replace(/^http:/, 'https:'))}.`,
            token,
            { at: reportUriAt?.start ?? 0 },
          );
          continue;
        }
        ctx.out.uri(url.href);
        kept++;
      }
      if (kept > 0) {
        ctx.out.diag(
          header,
          'csp-report-uri-only',
          `${label} ${q(reportUriDirective)}: \`report-uri\` is deprecated in CSP3. Add ${q('report-to csp-endpoint')} and a Reporting-Endpoints entry ${q('csp-endpoint="https://…"')}; Chromium then uses \`report-to\`, and browsers without it keep using \`report-uri\`.`,
          reportUriDirective,
          reportUriAt ?? {},
        );
      }
    }
  }

  if (reportOnly && !seen.has('report-to') && !seen.has('report-uri')) {
    ctx.out.diag(
      header,
      'csp-report-only-without-endpoint',
      `${label} ${q(policy)}: a report-only policy without \`report-to\` or \`report-uri\` sends no reports; its violations only show in the console. Add ${q('report-to csp-endpoint')}.`,
      policy,
      { start: span.start, end: span.end },
    );
  }
}
