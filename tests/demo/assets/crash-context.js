// /crash-context: fills window.crashReport the way a shop would, and changes it as the visitor moves on.
(() => {
  const status = document.getElementById('context-status');
  const show = (text) => {
    if (status) status.textContent = text;
  };
  const on = (id, handler) => document.getElementById(id)?.addEventListener('click', handler);
  const api = window.crashReport;
  if (!api) {
    show('window.crashReport is not available here (it needs Chrome 145 or later and an HTTPS page).');
    return;
  }
  let items = 3;
  const ready = api.initialize(4096).then(
    () => {
      api.set('route', location.pathname);
      api.set('cart', `${items} items`);
      show('Crash context: route and cart set (4,096 bytes asked).');
    },
    (e) => show(`initialize failed: ${e.name}: ${e.message}`),
  );

  on('checkout', async () => {
    await ready;
    history.pushState({}, '', '/crash-context?step=checkout');
    api.set('route', '/checkout');
    show('pushState to /crash-context?step=checkout; route set to /checkout.');
  });
  on('add', async () => {
    await ready;
    items += 1;
    api.set('cart', `${items} items`);
    show(`cart set to ${items} items.`);
  });
  on('clear', async () => {
    await ready;
    api.delete('cart');
    show('cart deleted.');
  });
  on('too-large', async () => {
    await ready;
    try {
      api.set('blob', 'x'.repeat(5000));
      show('blob set.');
    } catch (e) {
      show(`set('blob', 5,000 × "x") threw ${e.name}: ${e.message}`);
    }
  });
})();
