// /csp-violation: causes a CSP violation and a deprecation report as soon as the page loads.
(() => {
  const status = document.getElementById('load-status');
  // Blocked by img-src 'self' before any request is made.
  new Image().src = `https://127.0.0.1:1/blocked.png?t=${Date.now()}`;
  // Chromium deprecates unload listeners and queues a deprecation report (id "UnloadHandler") for this one.
  // (A synchronous XMLHttpRequest is deprecated too, but Chromium 156 does not reliably report it.)
  window.addEventListener('unload', () => {});
  if (status) status.textContent = 'Done: an image was blocked, and an unload listener was added.';
})();
