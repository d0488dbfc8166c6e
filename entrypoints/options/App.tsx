import { useEffect, useState } from 'preact/hooks';
import { BREADCRUMB_BUFFER, clampBuffer, matchingSite, normaliseSite, type Settings } from '@/utils/storage/settings';
import { LIMITS } from '@/utils/tab/types';

/** Where the settings come from and go (main.tsx passes the real store; tests a fake). */
export interface SettingsStore {
  load(): Promise<Settings>;
  save(settings: Settings): Promise<Settings>;
  /** Changes made elsewhere (another settings tab); returns the unwatch. */
  watch?(cb: (settings: Settings) => void): () => void;
}

export interface OptionsAppProps {
  store: SettingsStore;
}

/** The settings page: recording on or off, sites where it is off, breadcrumbs kept per tab. */
export function App({ store }: OptionsAppProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [site, setSite] = useState('');
  const [siteError, setSiteError] = useState<string | null>(null);
  const [buffer, setBuffer] = useState('');
  const [status, setStatus] = useState('');

  useEffect(() => {
    let alive = true;
    store.load().then(
      (s) => {
        if (!alive) return;
        setSettings(s);
        setBuffer(String(s.breadcrumbBuffer));
      },
      (e: unknown) => alive && setStatus(`Could not load the settings: ${e instanceof Error ? e.message : String(e)}`),
    );
    const unwatch = store.watch?.((s) => {
      setSettings(s);
      setBuffer(String(s.breadcrumbBuffer));
    });
    return () => {
      alive = false;
      unwatch?.();
    };
  }, [store]);

  if (!settings) {
    return (
      <main class="options">
        <h1>Report Inspector settings</h1>
        <p class="status" data-testid="options-status">
          {status || 'Loading…'}
        </p>
      </main>
    );
  }

  const save = (next: Settings) => {
    setSettings(next);
    store.save(next).then(
      (saved) => {
        setSettings(saved);
        setStatus('Saved. Applies to pages loaded from now on.');
      },
      (e: unknown) => setStatus(`Not saved: ${e instanceof Error ? e.message : String(e)}`),
    );
  };

  const addSite = (e: Event) => {
    e.preventDefault();
    const host = normaliseSite(site);
    if (!host) {
      setSiteError(`"${site.trim()}" is not a host name. Try example.com or https://www.example.com/.`);
      return;
    }
    const covering = matchingSite(settings.disabledSites, host);
    if (covering) {
      setSiteError(covering === host ? `${host} is already in the list.` : `${covering} already covers ${host}.`);
      return;
    }
    setSiteError(null);
    setSite('');
    save({ ...settings, disabledSites: [...settings.disabledSites, host] });
  };

  const commitBuffer = () => {
    const n = clampBuffer(Number(buffer));
    setBuffer(String(n));
    if (n !== settings.breadcrumbBuffer) save({ ...settings, breadcrumbBuffer: n });
  };

  return (
    <main class="options">
      <h1>Report Inspector settings</h1>

      <section>
        <h2>Recording in pages</h2>
        <label>
          <input
            type="checkbox"
            data-testid="hook-enabled"
            checked={settings.hookEnabled}
            onChange={(e) => save({ ...settings, hookEnabled: e.currentTarget.checked })}
          />
          <span>
            Record breadcrumbs (clicks, navigation, network, console, errors), reports seen by the page and CrashSense
            data in every page.
            <br />
            <span class="muted">
              Header capture, routes and crash detection work either way. Text is scrubbed of e-mail addresses, IP
              addresses, tokens and card numbers before it leaves the page.
            </span>
          </span>
        </label>
      </section>

      <fieldset disabled={!settings.hookEnabled}>
        <section>
          <h2>Sites where nothing is recorded</h2>
          <p class="muted">A site covers its subdomains: example.com also turns off www.example.com.</p>
          <form class="add-site" onSubmit={addSite}>
            <input
              type="text"
              data-testid="site-input"
              aria-label="Site to add"
              placeholder="example.com"
              value={site}
              onInput={(e) => {
                setSite(e.currentTarget.value);
                setSiteError(null);
              }}
            />
            <button class="btn" type="submit" data-testid="site-add">
              Add
            </button>
          </form>
          {siteError && (
            <p class="error" role="alert" data-testid="site-error">
              {siteError}
            </p>
          )}
          {settings.disabledSites.length === 0 ? (
            <p class="muted" data-testid="sites-empty">
              No sites: recording is on everywhere.
            </p>
          ) : (
            <ul class="sites" data-testid="sites">
              {settings.disabledSites.map((s) => (
                <li key={s}>
                  <span class="mono">{s}</span>
                  <button
                    class="btn"
                    type="button"
                    aria-label={`Remove ${s}`}
                    onClick={() => save({ ...settings, disabledSites: settings.disabledSites.filter((x) => x !== s) })}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section>
          <h2>Breadcrumbs kept per tab</h2>
          <label>
            <input
              type="number"
              data-testid="buffer-size"
              min={BREADCRUMB_BUFFER.min}
              max={BREADCRUMB_BUFFER.max}
              step={50}
              value={buffer}
              onInput={(e) => setBuffer(e.currentTarget.value)}
              onChange={commitBuffer}
              onBlur={commitBuffer}
            />
            <span class="muted">
              From {BREADCRUMB_BUFFER.min} to {BREADCRUMB_BUFFER.max} (default {BREADCRUMB_BUFFER.default}), and at most{' '}
              {LIMITS.breadcrumbChars / 1024} KB per tab (long URLs and messages make fewer fit). The oldest go first
              when a tab has more.
            </span>
          </label>
        </section>
      </fieldset>

      <p class="status" role="status" data-testid="options-status">
        {status}
      </p>
    </main>
  );
}
