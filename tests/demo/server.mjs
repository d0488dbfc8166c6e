// The Report Inspector demo site and report collector.
//
//   node tests/demo/server.mjs        (npm run demo)
//
// serves https://127.0.0.1:$DEMO_PORT (8443) and http://127.0.0.1:$DEMO_HTTP_PORT (8080): one page per Reporting API
// case, each served with real headers, and a collector that receives what Chromium uploads. Node's http/https only.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCertificates } from '../support/certs.mjs';
import { CASES, CHILD_FRAME, customHeadersPage, indexPage, errorPage } from './pages.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ASSETS_DIR = path.join(HERE, 'assets');

/** Default directory of the throw-away certificates, shared with `npm start`. */
export const DEFAULT_CERT_DIR = path.join(ROOT, '.tmp', 'demo-certs');

/** Request bodies beyond this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** `/api/slow` never waits longer than this. */
export const MAX_SLOW_MS = 5000;
/** The collector keeps at most this many uploads (and as many crash posts); the oldest go first. */
export const MAX_STORED = 1000;

/**
 * One upload received by the collector.
 * @typedef {{
 *   receivedAt: number;            // ms since the epoch
 *   endpoint: string;              // the <name> of /reports/<name>
 *   path: string;                  // request path, e.g. /reports/csp or /nocors/reports/default
 *   contentType: string;
 *   userAgent: string;
 *   reports: any[];                // application/reports+json: the array as sent; application/csp-report: [body]
 * }} CollectedUpload
 */

/**
 * One body POSTed to /api/crashes (a CrashSense CrashReport, an array of them, or a beacon subset).
 * @typedef {{ receivedAt: number; path: string; contentType: string; userAgent: string; body: any }} CollectedCrash
 */

/**
 * @typedef {{
 *   origin: string;                  // https://127.0.0.1:PORT
 *   httpOrigin: string;              // http://127.0.0.1:PORT2
 *   altOrigin: string;               // https://localhost:PORT, a second origin served by the same server
 *   reports: CollectedUpload[];      // live: uploads received so far, oldest first
 *   crashes: CollectedCrash[];       // live: bodies POSTed to /api/crashes
 *   certs: import('../support/certs.mjs').CertificatePaths;
 *   clear(): void;                   // empties reports and crashes
 *   close(): Promise<void>;
 * }} DemoServer
 */

/**
 * @typedef {{ origin: string; httpOrigin: string; altOrigin: string; httpPort: number; secure: boolean; nonce: string }}
 *   PageContext
 */

class HttpError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const MIME = /** @type {Record<string, string>} */ ({
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
});

/**
 * Static assets, read once. Scripts carry their SRI hash so pages with `Integrity-Policy` can load them.
 * @returns {Map<string, { body: Buffer; type: string; integrity: string }>}
 */
function loadAssets() {
  const assets = new Map();
  for (const name of fs.readdirSync(ASSETS_DIR)) {
    const type = MIME[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(ASSETS_DIR, name));
    const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    assets.set(name, { body, type, integrity });
  }
  return assets;
}

/** A 1×1 PNG: the subresource whose response carries `Report-To`. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Headers a `/custom` request may not set: they frame the response itself. */
const FORBIDDEN_CUSTOM = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/**
 * Reads a request body, refusing more than `limit` bytes.
 * @param {http.IncomingMessage} req
 * @param {number} [limit]
 * @returns {Promise<Buffer>}
 */
function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `Body too large: at most ${limit} bytes.`));
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `Body too large: at most ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    req.on('close', () => {
      if (done) return;
      done = true;
      reject(new HttpError(400, 'The request was aborted before its body arrived.'));
    });
  });
}

/**
 * @param {Buffer} body
 * @returns {any}
 */
function parseJson(body) {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
}

/**
 * Validates the `h` parameter of `/custom`: a JSON object of header name → string or string[].
 * @param {string | null} raw
 * @returns {[string, string | string[]][]}
 */
export function parseCustomHeaders(raw) {
  if (raw === null)
    throw new HttpError(400, 'Missing the h parameter: /custom?h=<URL-encoded JSON object of header name → value>.');
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'The h parameter is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'The h parameter must be a JSON object of header name → string or array of strings.');
  }
  const entries = Object.entries(parsed);
  if (entries.length > 64) throw new HttpError(400, 'Too many headers: at most 64.');
  return entries.map(([name, value]) => {
    if (!/^[A-Za-z0-9-]+$/.test(name)) {
      throw new HttpError(400, `Invalid header name ${JSON.stringify(name)}: use letters, digits and "-" only.`);
    }
    if (FORBIDDEN_CUSTOM.has(name.toLowerCase())) {
      throw new HttpError(400, `The header ${name} cannot be set: it frames the response.`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.length > 16 || !values.every((v) => typeof v === 'string')) {
      throw new HttpError(400, `The value of ${name} must be a string or an array of 1 to 16 strings.`);
    }
    if (values.some((v) => /[\r\n\0]/.test(v))) {
      throw new HttpError(
        400,
        `The value of ${name} contains a line break or NUL character, which a header cannot hold.`,
      );
    }
    for (const v of values) {
      try {
        http.validateHeaderValue(name, v);
      } catch {
        throw new HttpError(400, `The value of ${name} contains a character that a header cannot hold.`);
      }
    }
    return /** @type {[string, string | string[]]} */ ([name, Array.isArray(value) ? values : values[0]]);
  });
}

/** @param {string | undefined} value */
const baseType = (value) => (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** @param {number} ms */
const time = (ms) => new Date(ms).toISOString().slice(11, 19);

/**
 * Starts the demo site on HTTPS (and a plain-HTTP twin for the insecure-endpoint case).
 * @param {{ host?: string; httpsPort?: number; httpPort?: number; certDir?: string; quiet?: boolean;
 *           log?: (line: string) => void }} [options]
 * @returns {Promise<DemoServer>}
 */
export async function startDemoServer({
  host = '127.0.0.1',
  httpsPort = 0,
  httpPort = 0,
  certDir = DEFAULT_CERT_DIR,
  quiet = false,
  log = (line) => console.log(line),
} = {}) {
  const certs = ensureCertificates(certDir);
  const assets = loadAssets();
  /** @type {CollectedUpload[]} */
  const reports = [];
  /** @type {CollectedCrash[]} */
  const crashes = [];
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  const say = (/** @type {string} */ line) => {
    if (!quiet) log(line);
  };

  const secureServer = https.createServer({
    key: fs.readFileSync(certs.key),
    cert: fs.readFileSync(certs.cert),
  });
  const plainServer = http.createServer();
  // Bound slow clients: a request must arrive whole within 30 s.
  for (const server of [secureServer, plainServer]) {
    server.requestTimeout = 30_000;
    server.headersTimeout = 20_000;
  }

  await Promise.all([listen(secureServer, httpsPort, host), listen(plainServer, httpPort, host)]);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const securePort = /** @type {import('node:net').AddressInfo} */ (secureServer.address()).port;
  const plainPort = /** @type {import('node:net').AddressInfo} */ (plainServer.address()).port;
  const origin = `https://${urlHost}:${securePort}`;
  const httpOrigin = `http://${urlHost}:${plainPort}`;
  const altOrigin = `https://${urlHost === 'localhost' ? '127.0.0.1' : 'localhost'}:${securePort}`;

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {boolean} secure
   */
  async function handle(req, res, secure) {
    const url = new URL(req.url ?? '/', secure ? origin : httpOrigin);
    const method = req.method ?? 'GET';
    /** @type {PageContext} */
    const ctx = {
      origin,
      httpOrigin,
      altOrigin,
      httpPort: plainPort,
      secure,
      nonce: randomBytes(16).toString('base64'),
    };
    const integrity = (/** @type {string} */ name) => assets.get(name)?.integrity ?? '';
    const p = url.pathname;

    // ---- collector ---------------------------------------------------------------------------------------------
    const collect = /^\/(nocors\/)?reports\/([A-Za-z0-9._-]{1,64})$/.exec(p);
    if (collect) {
      const cors = !collect[1];
      /** @type {Record<string, string>} */
      const corsHeaders = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
      if (method === 'OPTIONS') {
        // The preflight Chromium sends before uploading to another origin. /nocors/ fails it on purpose.
        send(
          res,
          204,
          cors
            ? {
                ...corsHeaders,
                'Access-Control-Allow-Methods': 'POST, OPTIONS',
                'Access-Control-Allow-Headers': 'content-type',
                'Access-Control-Max-Age': '600',
              }
            : { Allow: 'POST, OPTIONS' },
        );
        return;
      }
      if (method !== 'POST') throw new HttpError(405, 'Use POST to upload reports.');
      const contentType = req.headers['content-type'] ?? '';
      const type = baseType(contentType);
      if (!['application/reports+json', 'application/csp-report', 'application/json'].includes(type)) {
        throw new HttpError(415, 'Expected application/reports+json or application/csp-report.');
      }
      const body = parseJson(await readBody(req));
      let list;
      if (type === 'application/csp-report') {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new HttpError(400, 'An application/csp-report body is a JSON object.');
        }
        list = [body];
      } else {
        if (!Array.isArray(body)) throw new HttpError(400, 'An application/reports+json body is a JSON array.');
        list = body;
      }
      const entry = {
        receivedAt: Date.now(),
        endpoint: collect[2] ?? '',
        path: p,
        contentType,
        userAgent: req.headers['user-agent'] ?? '',
        reports: list,
      };
      push(reports, entry);
      for (const report of list) {
        const legacy = report?.['csp-report'];
        const kind = legacy ? 'csp-report (legacy report-uri)' : String(report?.type ?? '?');
        const where = legacy ? legacy['document-uri'] : report?.url;
        say(`${time(entry.receivedAt)} report  ${kind.padEnd(22)} ${String(where ?? '')}  → ${p}`);
      }
      send(res, 204, corsHeaders);
      return;
    }

    if (p === '/reports') {
      const cors = { 'Access-Control-Allow-Origin': '*' };
      if (method === 'OPTIONS') {
        send(res, 204, { ...cors, 'Access-Control-Allow-Methods': 'GET, DELETE, OPTIONS' });
      } else if (method === 'GET' || method === 'HEAD') {
        json(res, 200, reports, cors);
      } else if (method === 'DELETE') {
        reports.length = 0;
        send(res, 204, cors);
      } else {
        throw new HttpError(405, 'Use GET to list the collected reports or DELETE to clear them.');
      }
      return;
    }

    if (p === '/api/crashes') {
      if (method === 'POST') {
        const contentType = req.headers['content-type'] ?? '';
        const body = parseJson(await readBody(req));
        const entry = {
          receivedAt: Date.now(),
          path: p,
          contentType,
          userAgent: req.headers['user-agent'] ?? '',
          body,
        };
        push(crashes, entry);
        for (const item of Array.isArray(body) ? body : [body]) {
          const event = item?.event ?? item;
          say(
            `${time(entry.receivedAt)} crash   ${String(event?.category ?? '?').padEnd(22)} ${String(event?.error?.message ?? event?.message ?? '')}`,
          );
        }
        send(res, 204);
      } else if (method === 'GET' || method === 'HEAD') {
        json(res, 200, crashes);
      } else if (method === 'DELETE') {
        crashes.length = 0;
        send(res, 204);
      } else {
        throw new HttpError(405, 'Use POST to send a crash report, GET to list them or DELETE to clear them.');
      }
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not supported here.`);

    // ---- helper API for the activity pages ---------------------------------------------------------------------
    if (p === '/api/echo') {
      json(res, 200, { method, path: p, query: Object.fromEntries(url.searchParams) });
      return;
    }
    const status = /^\/api\/status\/(\d{3})$/.exec(p);
    if (status) {
      const code = Number(status[1]);
      if (code < 200 || code > 599) throw new HttpError(400, 'The status must be between 200 and 599.');
      if (code === 204 || code === 304) send(res, code);
      else json(res, code, { status: code });
      return;
    }
    if (p === '/api/slow') {
      const ms = Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), MAX_SLOW_MS);
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve(undefined);
        }, ms);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(undefined);
        });
      });
      if (!res.destroyed) json(res, 200, { waited: ms });
      return;
    }

    // ---- assets ------------------------------------------------------------------------------------------------
    if (p === '/assets/report-to.png') {
      send(
        res,
        200,
        {
          'Content-Type': 'image/png',
          'Report-To': JSON.stringify({
            group: 'default',
            max_age: 600,
            endpoints: [{ url: `${origin}/reports/default` }],
          }),
        },
        TINY_PNG,
      );
      return;
    }
    const asset = /^\/assets\/([a-z0-9-]+\.[a-z]+)$/.exec(p);
    if (asset) {
      const found = assets.get(asset[1] ?? '');
      if (!found) throw new HttpError(404, 'No such asset.');
      send(res, 200, { 'Content-Type': found.type }, found.body);
      return;
    }
    if (p === '/favicon.ico') {
      send(res, 204);
      return;
    }

    // ---- pages -------------------------------------------------------------------------------------------------
    if (p === '/') {
      html(res, 200, {}, indexPage(ctx, integrity));
      return;
    }
    if (p === '/huge-headers') {
      // Response headers near Chromium's limit (256 KB in all): a Report-To past Chromium's 16 KiB and a
      // Document-Policy of ~`kb` KB (default 200, at most 230). Built here: a request line could not carry them.
      const kb = Math.min(230, Math.max(1, Number.parseInt(url.searchParams.get('kb') ?? '', 10) || 200));
      const group = {
        group: 'default',
        max_age: 60,
        endpoints: [{ url: `${ctx.origin}/reports/default` }],
        note: 'R'.repeat(20 * 1024),
      };
      send(
        res,
        200,
        {
          'Content-Type': 'text/html; charset=utf-8',
          'Reporting-Endpoints': `default="${ctx.origin}/reports/default"`,
          'Report-To': JSON.stringify(group),
          'Document-Policy': `${'D'.repeat(kb * 1024)}`,
        },
        '<!doctype html><meta charset="utf-8"><title>Huge headers</title><p>This response carries ~' +
          kb +
          ' KB of reporting headers.</p>',
      );
      return;
    }
    if (p === '/custom') {
      const headers = parseCustomHeaders(url.searchParams.get('h'));
      /** @type {Record<string, string | string[]>} */
      const out = { 'Content-Type': 'text/html; charset=utf-8' };
      for (const [name, value] of headers) {
        for (const key of Object.keys(out)) if (key.toLowerCase() === name.toLowerCase()) delete out[key];
        out[name] = value;
      }
      send(res, 200, out, customHeadersPage(ctx, integrity, headers));
      return;
    }
    const page = p === CHILD_FRAME.path ? CHILD_FRAME : CASES.find((c) => c.path === p);
    if (page) {
      html(res, 200, page.headers(ctx), page.render(ctx, integrity));
      return;
    }
    throw new HttpError(404, `Nothing at ${p}.`);
  }

  /**
   * @param {boolean} secure
   * @returns {http.RequestListener}
   */
  const listener = (secure) => (req, res) => {
    handle(req, res, secure).catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status === 500) say(`error   ${req.method} ${req.url}: ${message}`);
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      const headers = /** @type {Record<string, string>} */ ({});
      if (status === 413) headers.Connection = 'close'; // do not read the rest of an oversized body
      if (req.url?.startsWith('/reports')) headers['Access-Control-Allow-Origin'] = '*';
      if (wantsHtml)
        html(
          res,
          status,
          headers,
          errorPage({ origin, httpOrigin, altOrigin, httpPort: plainPort, secure, nonce: '' }, status, message),
        );
      else send(res, status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, `${message}\n`);
      if (status === 413) res.on('finish', () => req.destroy());
    });
  };
  secureServer.on('request', listener(true));
  plainServer.on('request', listener(false));
  // A client that resets a connection must not take the server down.
  for (const server of [secureServer, plainServer]) {
    server.on('clientError', (_error, socket) => socket.destroy());
    server.on('tlsClientError', () => {});
  }

  let closing = /** @type {Promise<void> | undefined} */ (undefined);
  return {
    origin,
    httpOrigin,
    altOrigin,
    reports,
    crashes,
    certs,
    clear() {
      reports.length = 0;
      crashes.length = 0;
    },
    close() {
      closing ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.all([stop(secureServer), stop(plainServer)]);
      })();
      return closing;
    },
  };
}

/**
 * @param {any[]} list
 * @param {any} entry
 */
function push(list, entry) {
  list.push(entry);
  if (list.length > MAX_STORED) list.splice(0, list.length - MAX_STORED);
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {NodeJS.ErrnoException} */ error) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} on ${host} is already in use. Stop what uses it, or choose other ports with DEMO_PORT and DEMO_HTTP_PORT.`,
          ),
        );
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Stops accepting connections and drops open ones (keep-alive sockets, pending slow requests).
 * @param {http.Server} server
 * @returns {Promise<void>}
 */
function stop(server) {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {Record<string, string | string[]>} [headers]
 * @param {string | Buffer} [body]
 */
function send(res, status, headers = {}, body) {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined || status === 204 || status === 304) {
    res.end();
    return;
  }
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  res.setHeader('Content-Length', buffer.length);
  res.end(res.req.method === 'HEAD' ? undefined : buffer);
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string>} [headers]
 */
function json(res, status, value, headers = {}) {
  send(
    res,
    status,
    { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    `${JSON.stringify(value, null, 2)}\n`,
  );
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {Record<string, string | string[]>} headers
 * @param {string} body
 */
function html(res, status, headers, body) {
  send(res, status, { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body);
}

/**
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {string} name
 */
function portFromEnv(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, not ${JSON.stringify(value)}.`);
  return port;
}

/**
 * Runs the demo server until SIGINT/SIGTERM, printing its URLs and every report it receives.
 * @returns {Promise<DemoServer>}
 */
export async function runFromCommandLine() {
  const server = await startDemoServer({
    host: process.env.DEMO_HOST || '127.0.0.1',
    httpsPort: portFromEnv(process.env.DEMO_PORT, 8443, 'DEMO_PORT'),
    httpPort: portFromEnv(process.env.DEMO_HTTP_PORT, 8080, 'DEMO_HTTP_PORT'),
  });
  console.log(`Report Inspector demo site: ${server.origin}/`);
  console.log(`  plain-HTTP twin (for the insecure endpoint case): ${server.httpOrigin}/`);
  console.log(`  collected reports: ${server.origin}/reports   CrashSense posts: ${server.origin}/api/crashes`);
  console.log(`  CA certificate (trust it to see Report-To delivered): ${server.certs.caCert}`);
  console.log('Received reports are printed below. Press Ctrl+C to stop.');
  const shutdown = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runFromCommandLine().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
