// Shared by the demo pages: buttons that cause reports, and the list of reports the page itself observes.
(() => {
  const status = document.getElementById('violation-status');
  const show = (text) => {
    if (status) status.textContent = text;
  };
  const now = () => new Date().toLocaleTimeString();

  for (const button of document.querySelectorAll('[data-action="csp-violation"]')) {
    button.addEventListener('click', () => {
      // img-src 'self' blocks this before any request is made: a CSP violation, and no traffic.
      new Image().src = `https://127.0.0.1:1/x.png?t=${Date.now()}`;
      show(`${now()}: an image from https://127.0.0.1:1 was blocked.`);
    });
  }

  for (const button of document.querySelectorAll('[data-action="geolocation"]')) {
    button.addEventListener('click', () => {
      if (!navigator.geolocation) {
        show('This browser has no geolocation API.');
        return;
      }
      navigator.geolocation.getCurrentPosition(
        () => show(`${now()}: the location was returned (the policy did not apply).`),
        (error) => show(`${now()}: refused: ${error.message}`),
        { timeout: 2000 },
      );
    });
  }

  for (const button of document.querySelectorAll('[data-action="unsigned-script"]')) {
    button.addEventListener('click', () => {
      const script = document.createElement('script');
      script.src = `/assets/unsigned.js?t=${Date.now()}`;
      script.addEventListener('error', () => show(`${now()}: /assets/unsigned.js was blocked.`));
      script.addEventListener('load', () => show(`${now()}: /assets/unsigned.js ran (no policy blocked it).`));
      document.head.append(script);
    });
  }

  const list = document.getElementById('observed');
  if (!list || typeof ReportingObserver !== 'function') return;
  const describe = (report) => {
    const body = report.body ?? {};
    switch (report.type) {
      case 'csp-violation':
        return `${body.effectiveDirective} blocked ${body.blockedURL || 'an inline resource'}`;
      case 'deprecation':
      case 'intervention':
        return `${body.id}: ${body.message}`;
      case 'integrity-violation':
        return `${body.destination} ${body.blockedURL} blocked`;
      case 'permissions-policy-violation':
        return `${body.policyId ?? body.featureId} (${body.disposition})`;
      default:
        return JSON.stringify(body).slice(0, 200);
    }
  };
  const observer = new ReportingObserver(
    (reports) => {
      list.querySelector('.empty')?.remove();
      for (const report of reports) {
        const item = document.createElement('li');
        const type = document.createElement('code');
        type.textContent = report.type;
        item.append(type, ` ${describe(report)}`);
        list.append(item);
      }
    },
    { buffered: true },
  );
  observer.observe();
})();
