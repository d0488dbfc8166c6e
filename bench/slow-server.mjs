// A server for the bench's "real pages": responses that take 20–80 ms like a real network's, over HTTPS with the
// demo's certificates (the bench trusts their CA in the browsers' profile).
//   /page?n=50&seed=S       a page that loads n subresources (stylesheets, scripts, images), each answered after a
//                           delay of 20–80 ms drawn from the seed, so every variant loads the same page
//   /parallel               a blank page for the parallel fetches (the bench calls /delay from it)
//   /delay?ms=M&i=I         an answer after M ms (0–500), a small JSON body
//   /blank                  an empty page (where the bench waits between loads)
import https from 'node:https';
import fs from 'node:fs';
import { seededRandom } from './stats.mjs';

export const MAX_DELAY_MS = 500;

/** The delays of a page's n subresources, 20–80 ms each. */
export function subresourceDelays(n, seed) {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => 20 + Math.round(rand() * 60));
}

/** The HTML of a page with n subresources: a third stylesheets, a third scripts, a third images, in that order. */
export function slowPage(n, seed) {
  const d = subresourceDelays(n, seed);
  const parts = d.map((ms, i) => {
    const src = `/delay?ms=${ms}&i=${i}&s=${seed}`;
    if (i % 3 === 0) return `<link rel="stylesheet" href="${src}&as=css">`;
    if (i % 3 === 1) return `<script src="${src}&as=js" async></script>`;
    return `<img src="${src}&as=img" width="1" height="1" alt="">`;
  });
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Slow page</title>${parts.filter((_, i) => i % 3 !== 2).join('')}</head>` +
    `<body><h1>A page with ${n} subresources</h1>${parts.filter((_, i) => i % 3 === 2).join('')}</body></html>`
  );
}

// A 1×1 transparent GIF.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Starts the server on 127.0.0.1 (a free port).
 * @param {{ key: string; cert: string }} certs paths of the PEM key and certificate
 * @returns {Promise<{ origin: string; close(): Promise<void> }>}
 */
export async function startSlowServer(certs) {
  const timers = new Set();
  const server = https.createServer(
    { key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const p = url.pathname;
      const html = (body) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(body);
      };
      if (p === '/page') {
        const n = Math.min(200, Math.max(0, Number(url.searchParams.get('n')) || 50));
        return html(slowPage(n, Number(url.searchParams.get('seed')) || 1));
      }
      if (p === '/parallel' || p === '/blank') return html('<!doctype html><title>bench</title><p>bench</p>');
      if (p === '/delay') {
        const ms = Math.min(MAX_DELAY_MS, Math.max(0, Number(url.searchParams.get('ms')) || 0));
        const as = url.searchParams.get('as');
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (res.destroyed) return;
          const type =
            as === 'css'
              ? 'text/css'
              : as === 'js'
                ? 'text/javascript'
                : as === 'img'
                  ? 'image/gif'
                  : 'application/json';
          res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
          res.end(as === 'css' ? 'p{margin:0}' : as === 'js' ? '/* ok */' : as === 'img' ? GIF : `{"waited":${ms}}`);
        }, ms);
        timers.add(timer);
        res.on('close', () => (clearTimeout(timer), timers.delete(timer)));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    },
  );
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections?.();
        server.close(() => r(undefined));
      }),
  };
}
