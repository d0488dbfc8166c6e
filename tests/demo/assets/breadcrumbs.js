// /breadcrumbs: every button does one thing a breadcrumb trail should record.
(() => {
  const result = document.getElementById('result');
  const show = (text) => {
    if (result) result.textContent = text;
  };
  const on = (id, handler) => document.getElementById(id)?.addEventListener('click', handler);

  on('buy', async () => {
    const response = await fetch('/api/echo?n=1');
    show(`fetch /api/echo?n=1 → ${response.status}`);
  });

  on('xhr', () => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/echo?n=2');
    xhr.addEventListener('loadend', () => show(`XMLHttpRequest /api/echo?n=2 → ${xhr.status}`));
    xhr.send();
  });

  on('console', () => {
    console.log('cart: 1 item');
    console.info('shipping options loaded');
    console.warn('coupon expired');
    console.error('payment widget failed to load');
    console.debug('render took 12 ms');
    show('Wrote one message at each level: log, info, warn, error, debug.');
  });

  on('push', () => {
    history.pushState({ step: 2 }, '', '/breadcrumbs?step=2');
    show(`pushState → ${location.pathname}${location.search}`);
  });

  on('hash', () => {
    location.hash = `#section-${Math.floor(Math.random() * 100)}`;
    show(`location.hash → ${location.hash}`);
  });

  on('throw', () => {
    show('Threw an error (see the console).');
    throw new Error('Cart total could not be computed');
  });

  on('reject', () => {
    show('Rejected a promise without a handler.');
    Promise.reject(new Error('Inventory service unavailable'));
  });

  on('fail', async () => {
    const response = await fetch('/api/status/500');
    show(`fetch /api/status/500 → ${response.status}`);
  });

  on('abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    try {
      await fetch('/api/slow?ms=2000', { signal: controller.signal });
      show('The request finished before it was aborted.');
    } catch (error) {
      show(`fetch /api/slow?ms=2000 → ${error.name}`);
    }
  });

  on('slow', async () => {
    show('Waiting for /api/slow?ms=1000…');
    const response = await fetch('/api/slow?ms=1000');
    show(`fetch /api/slow?ms=1000 → ${response.status}`);
  });
})();
