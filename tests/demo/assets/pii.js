// /pii: values that must be scrubbed from breadcrumbs before they leave the browser.
(() => {
  const result = document.getElementById('result');
  const show = (text) => {
    if (result) result.textContent = text;
  };
  const on = (id, handler) => document.getElementById(id)?.addEventListener('click', handler);

  on('email', () => {
    console.log('Signed in as jane.doe@example.com');
    show('Logged: Signed in as jane.doe@example.com');
  });

  on('ip', () => {
    console.warn('Request from client 203.0.113.42 was rate limited');
    show('Logged: Request from client 203.0.113.42 was rate limited');
  });

  on('bearer', async () => {
    console.info('Authorization: Bearer abc.def.ghi');
    const response = await fetch('/api/echo?n=3', { headers: { Authorization: 'Bearer abc.def.ghi' } });
    show(`Logged the header and sent it with fetch /api/echo?n=3 → ${response.status}`);
  });

  on('card', () => {
    console.error('Payment declined for card 4111 1111 1111 1111');
    show('Logged: Payment declined for card 4111 1111 1111 1111');
  });

  on('secrets', async () => {
    const url = '/api/echo?token=tok_live_8f2a&key=AKIA1234SECRET&password=hunter2&page=2';
    const response = await fetch(url);
    history.pushState({}, '', '/pii?token=tok_live_8f2a&key=AKIA1234SECRET&password=hunter2');
    show(`fetch ${url} → ${response.status}, then pushState to a URL with the same parameters`);
  });
})();
