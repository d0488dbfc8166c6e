// /crashsense: a small shop instrumented the way the CrashSense SDK (@crashsense/core, MIT) does it, written out
// here because the SDK is not available from the registry. Same shapes: Breadcrumb, CheckpointData, CrashEvent,
// CrashReport; the same PII scrubbing; checkpoints in sessionStorage['__crashsense_checkpoint'].
(() => {
  const APP_ID = 'demo-shop';
  const SDK_VERSION = '1.1.0';
  const CHECKPOINT_KEY = '__crashsense_checkpoint';
  const CHECKPOINT_INTERVAL = 2000;
  const MAX_BREADCRUMBS = 50;
  const ENDPOINT = '/api/crashes';

  // ---- PII scrubbing, as @crashsense/utils scrubPII ------------------------------------------------------------
  const EMAIL = /[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}/g;
  const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;
  const BEARER = /Bearer\s+[A-Za-z0-9\-._~+/]+/g;
  const CARD = /\b\d{4}[\s-]?\d{4}[\s-]?\d{4}[\s-]?\d{4}\b/g;
  const scrub = (text) =>
    String(text)
      .replace(EMAIL, '[EMAIL]')
      .replace(BEARER, 'Bearer [TOKEN]')
      .replace(CARD, '[CARD]')
      .replace(IPV4, '[IP]');
  const scrubDeep = (value) => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(scrubDeep);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v)]));
    }
    return value;
  };

  const uuid = () => crypto.randomUUID();
  const sessionId = uuid();
  const breadcrumbs = [];
  const preCrashWarnings = [];
  const network = { pending: 0, failures: [], latencies: [] };
  let checkpointCount = 0;

  // ---- breadcrumbs ---------------------------------------------------------------------------------------------
  const addBreadcrumb = (crumb) => {
    breadcrumbs.push({ ...crumb, message: scrub(crumb.message), timestamp: Date.now() });
    if (breadcrumbs.length > MAX_BREADCRUMBS) breadcrumbs.shift();
  };

  const describe = (target) => {
    if (!(target instanceof Element)) return 'unknown';
    const id = target.id ? `#${target.id}` : '';
    const cls =
      typeof target.className === 'string' && target.className
        ? `.${target.className.split(' ').slice(0, 2).join('.')}`
        : '';
    const text = target.textContent?.trim().slice(0, 30) ?? '';
    return `${target.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
  };

  document.addEventListener(
    'click',
    (event) => {
      addBreadcrumb({ type: 'click', message: `Click on ${describe(event.target)}` });
      writeCheckpoint();
    },
    { capture: true, passive: true },
  );

  const originalPushState = history.pushState;
  history.pushState = function pushState(...args) {
    addBreadcrumb({ type: 'navigation', message: `pushState to ${String(args[2] ?? '')}` });
    return originalPushState.apply(this, args);
  };

  const originalFetch = window.fetch;
  window.fetch = async function fetch(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const started = performance.now();
    network.pending += 1;
    try {
      const response = await originalFetch.call(this, input, init);
      const duration = Math.round(performance.now() - started);
      network.latencies.push({ at: Date.now(), duration });
      if (!response.ok) network.failures.push(Date.now());
      addBreadcrumb({
        type: 'network',
        message: `${method} ${url} → ${response.status}`,
        data: { url, method, status: response.status, duration },
      });
      return response;
    } catch (error) {
      network.failures.push(Date.now());
      addBreadcrumb({
        type: 'network',
        message: `Network failure: ${url} (${error?.name ?? 'Error'})`,
        data: { url, method },
      });
      throw error;
    } finally {
      network.pending -= 1;
    }
  };

  // ---- system state and device ---------------------------------------------------------------------------------
  const recent = (list, ms) => list.filter((item) => (typeof item === 'number' ? item : item.at) > Date.now() - ms);

  const systemState = () => {
    const memory = performance.memory;
    const latencies = recent(network.latencies, 60_000);
    return {
      memory: {
        usedJSHeapSize: memory?.usedJSHeapSize ?? null,
        totalJSHeapSize: memory?.totalJSHeapSize ?? null,
        heapSizeLimit: memory?.jsHeapSizeLimit ?? null,
        trend: 'stable',
        utilizationPercent: memory ? Math.round((memory.usedJSHeapSize / memory.jsHeapSizeLimit) * 1000) / 10 : null,
      },
      cpu: { longTasksLast30s: 0, avgLongTaskDuration: 0, maxLongTaskDuration: 0, estimatedBlockingTime: 0 },
      eventLoop: { isBlocked: false, blockDuration: null, fps: 60 },
      network: {
        pendingRequests: network.pending,
        failedRequestsLast60s: recent(network.failures, 60_000).length,
        avgLatencyLast60s: latencies.length
          ? Math.round(latencies.reduce((sum, l) => sum + l.duration, 0) / latencies.length)
          : 0,
        connectionType: navigator.connection?.effectiveType ?? null,
        isOnline: navigator.onLine,
      },
    };
  };

  const device = {
    userAgent: navigator.userAgent,
    platform: navigator.userAgentData?.platform ?? navigator.platform,
    vendor: navigator.vendor,
    deviceMemory: navigator.deviceMemory ?? null,
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
    viewport: { width: innerWidth, height: innerHeight },
    devicePixelRatio,
    touchSupport: navigator.maxTouchPoints > 0,
    colorScheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
    reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
    language: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };

  // ---- checkpoints ---------------------------------------------------------------------------------------------
  const checkpointView = document.getElementById('checkpoint');
  function writeCheckpoint() {
    checkpointCount += 1;
    const checkpoint = {
      version: 1,
      timestamp: Date.now(),
      sessionId,
      appId: APP_ID,
      url: location.href,
      breadcrumbs: breadcrumbs.slice(-20),
      systemState: systemState(),
      device,
      preCrashWarnings: preCrashWarnings.slice(-5),
      memoryTrend: 'stable',
      checkpointCount,
    };
    try {
      sessionStorage.setItem(CHECKPOINT_KEY, JSON.stringify(checkpoint));
    } catch {
      // Storage full or unavailable: the SDK gives up silently too.
    }
    if (checkpointView) {
      checkpointView.textContent = JSON.stringify(
        {
          ...checkpoint,
          device: '…',
          systemState: '…',
          breadcrumbs: checkpoint.breadcrumbs.map((b) => `${b.type}: ${b.message}`),
        },
        null,
        2,
      );
    }
  }
  writeCheckpoint();
  setInterval(writeCheckpoint, CHECKPOINT_INTERVAL);

  // ---- classification ------------------------------------------------------------------------------------------
  const parseStack = (stack) =>
    String(stack ?? '')
      .split('\n')
      .map((line) => /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line))
      .filter(Boolean)
      .slice(0, 20)
      .map(([, fn, filename, lineno, colno]) => ({
        filename,
        function: fn ?? '<anonymous>',
        lineno: Number(lineno),
        colno: Number(colno),
        inApp: filename.startsWith(location.origin),
      }));

  // A stable hash of the error's type, message and top frame: the same bug gets the same fingerprint.
  const fingerprintOf = (type, message, frame) => {
    const text = `${type}|${message.replace(/\d+/g, 'N')}|${frame?.filename ?? ''}:${frame?.function ?? ''}`;
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, '0');
  };

  const KNOWN_TYPES = ['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'URIError', 'EvalError'];
  const classify = (type, message, system) => {
    const factors = [];
    if (system.network.failedRequestsLast60s > 0 && /fetch|network|cors|xhr/i.test(message)) {
      factors.push({
        factor: 'recent_network_failures',
        weight: 0.3,
        evidence: `${system.network.failedRequestsLast60s} failed requests in last 60s`,
      });
      return {
        category: 'network_induced',
        subcategory: 'failed_request',
        confidence: 0.6,
        factors,
        severity: 'error',
      };
    }
    if (KNOWN_TYPES.includes(type)) {
      factors.push({ factor: 'known_error_type', weight: 0.95, evidence: `Error type: ${type}` });
      return {
        category: 'runtime_error',
        subcategory: type.toLowerCase(),
        confidence: 0.95,
        factors,
        severity: 'critical',
      };
    }
    factors.push({ factor: 'unhandled_error', weight: 0.7, evidence: `Custom error: ${message.slice(0, 100)}` });
    return { category: 'runtime_error', subcategory: 'custom_error', confidence: 0.7, factors, severity: 'error' };
  };

  /** Builds a CrashReport ({ event, analysis, timestamp }) for an error. */
  function crashReportFor(error, tags = {}) {
    const type = error?.name ?? 'Error';
    const message = scrub(error?.message ?? String(error));
    const stack = parseStack(error?.stack);
    const system = systemState();
    const { category, subcategory, confidence, factors, severity } = classify(type, message, system);
    const event = {
      id: uuid(),
      fingerprint: fingerprintOf(type, message, stack[0]),
      timestamp: Date.now(),
      sessionId,
      category,
      subcategory,
      severity,
      confidence,
      error: { type, message, stack, raw: scrub(error?.stack ?? message) },
      system,
      device,
      framework: { name: 'vanilla', version: '', adapter: 'none' },
      breadcrumbs: scrubDeep(breadcrumbs.slice()),
      contributingFactors: factors,
      meta: {
        appId: APP_ID,
        environment: 'demo',
        release: '2.3.0',
        tags: { page: 'crashsense', ...tags },
        sdkVersion: SDK_VERSION,
      },
    };
    return { event, analysis: null, timestamp: Date.now() };
  }

  // ---- delivery ------------------------------------------------------------------------------------------------
  const sent = document.getElementById('sent');
  const post = async (body, label) => {
    try {
      const response = await originalFetch(ENDPOINT, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        keepalive: true,
      });
      if (sent) sent.textContent = `${label}: POST ${ENDPOINT} → ${response.status}`;
    } catch (error) {
      if (sent) sent.textContent = `${label}: POST ${ENDPOINT} failed (${error.name})`;
    }
  };

  const onCrash = (report) => post(report, `Sent ${report.event.category}/${report.event.subcategory}`);

  window.addEventListener('error', (event) => {
    addBreadcrumb({ type: 'console', message: `Error: ${event.error?.message ?? event.message}` });
    onCrash(crashReportFor(event.error ?? new Error(event.message)));
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason instanceof Error ? event.reason : new Error(String(event.reason));
    addBreadcrumb({ type: 'console', message: `Unhandled rejection: ${reason.message}` });
    onCrash(crashReportFor(reason, { mechanism: 'unhandledrejection' }));
  });

  // ---- the shop ------------------------------------------------------------------------------------------------
  const cart = { items: [] };
  const cartView = document.getElementById('cart');
  const renderCart = () => {
    if (cartView)
      cartView.textContent = cart.items.length ? `Cart: ${cart.items.map((i) => i.name).join(', ')}` : 'Cart: empty';
  };
  const PRODUCTS = { tea: { name: 'tea', price: 4.5 }, mug: { name: 'mug', price: 12 } };
  for (const button of document.querySelectorAll('[data-product]')) {
    button.addEventListener('click', async () => {
      const product = PRODUCTS[button.dataset.product];
      await fetch(`/api/echo?add=${product.name}`);
      cart.items.push(product);
      addBreadcrumb({ type: 'state', message: `cart.items.length = ${cart.items.length}` });
      renderCart();
    });
  }
  document.getElementById('checkout')?.addEventListener('click', async () => {
    history.pushState({}, '', '/crashsense?step=checkout');
    console.info('Checkout for jane.doe@example.com');
    addBreadcrumb({
      type: 'custom',
      message: 'Checkout started for jane.doe@example.com',
      data: { items: cart.items.length },
    });
    await fetch('/api/status/500');
  });

  // A real bug: the receipt reads the price of an item that is not in the cart.
  const receiptLine = (index) => `${cart.items[index].name}: ${cart.items[index].price}`;
  document.getElementById('throw')?.addEventListener('click', () => {
    receiptLine(cart.items.length + 5);
  });

  document.getElementById('batch')?.addEventListener('click', () => {
    const errors = [
      new TypeError("Cannot read properties of null (reading 'quantity')"),
      new RangeError('Invalid array length'),
      new Error('Coupon service returned an unexpected answer for jane.doe@example.com'),
    ];
    const batch = errors.map((error) => crashReportFor(error, { mechanism: 'batch' }));
    post(batch, `Sent a batch of ${batch.length}`);
  });

  document.getElementById('beacon')?.addEventListener('click', () => {
    const { event } = crashReportFor(new TypeError("Cannot read properties of undefined (reading 'sku')"), {
      mechanism: 'beacon',
    });
    const subset = {
      category: event.category,
      subcategory: event.subcategory,
      severity: event.severity,
      message: event.error.message,
      fingerprint: event.fingerprint,
    };
    const queued = navigator.sendBeacon(ENDPOINT, new Blob([JSON.stringify(subset)], { type: 'application/json' }));
    if (sent)
      sent.textContent = queued
        ? `Beacon queued for ${ENDPOINT}: ${subset.category}/${subset.subcategory}`
        : 'The beacon was refused.';
  });

  document.getElementById('pressure')?.addEventListener('click', () => {
    preCrashWarnings.push({
      level: 'elevated',
      reason: 'Memory utilization above 70% and growing',
      timestamp: Date.now(),
    });
    if (preCrashWarnings.length > 10) preCrashWarnings.shift();
    addBreadcrumb({ type: 'custom', message: 'Pre-crash warning: elevated' });
    writeCheckpoint();
    if (sent) sent.textContent = 'Recorded an elevated pre-crash warning in the checkpoint.';
  });
})();
