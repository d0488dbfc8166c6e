// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App, type SettingsStore } from '@/entrypoints/options/App';
import { DEFAULT_SETTINGS, normaliseSettings, type Settings } from '@/utils/storage/settings';

afterEach(cleanup);

function fakeStore(initial: Settings = DEFAULT_SETTINGS) {
  let value = initial;
  let watcher: ((s: Settings) => void) | null = null;
  const store: SettingsStore = {
    load: vi.fn(async () => value),
    save: vi.fn(async (s: Settings) => (value = normaliseSettings(s))),
    watch: (cb) => {
      watcher = cb;
      return () => (watcher = null);
    },
  };
  return { store, current: () => value, external: (s: Settings) => watcher?.(s) };
}

describe('settings page', () => {
  test('turns recording off and on', async () => {
    const { store, current } = fakeStore();
    render(<App store={store} />);
    const box = await screen.findByTestId<HTMLInputElement>('hook-enabled');
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect(current().hookEnabled).toBe(false));
    expect(await screen.findByText('Saved. Applies to pages loaded from now on.')).toBeTruthy();
  });

  test('adds and removes sites, normalising and refusing bad input', async () => {
    const { store, current } = fakeStore();
    render(<App store={store} />);
    const input = await screen.findByTestId<HTMLInputElement>('site-input');
    expect(screen.getByTestId('sites-empty').textContent).toContain('recording is on everywhere');
    fireEvent.input(input, { target: { value: 'https://WWW.Example.com/path' } });
    fireEvent.click(screen.getByTestId('site-add'));
    await waitFor(() => expect(current().disabledSites).toEqual(['www.example.com']));
    expect(screen.getByTestId('sites').textContent).toContain('www.example.com');

    fireEvent.input(input, { target: { value: 'not a host!' } });
    fireEvent.click(screen.getByTestId('site-add'));
    expect((await screen.findByTestId('site-error')).textContent).toContain('is not a host name');

    fireEvent.input(input, { target: { value: 'a.www.example.com' } });
    fireEvent.click(screen.getByTestId('site-add'));
    expect((await screen.findByTestId('site-error')).textContent).toBe(
      'www.example.com already covers a.www.example.com.',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Remove www.example.com' }));
    await waitFor(() => expect(current().disabledSites).toEqual([]));
  });

  test('buffer size is clamped to 50..5000', async () => {
    const { store, current } = fakeStore();
    render(<App store={store} />);
    const input = await screen.findByTestId<HTMLInputElement>('buffer-size');
    expect(input.value).toBe('500');
    fireEvent.input(input, { target: { value: '99999' } });
    fireEvent.change(input);
    await waitFor(() => expect(current().breadcrumbBuffer).toBe(5000));
    expect(input.value).toBe('5000');
  });

  test('follows changes made elsewhere and shows load failures', async () => {
    const { store, external } = fakeStore();
    render(<App store={store} />);
    await screen.findByTestId('hook-enabled');
    external({ ...DEFAULT_SETTINGS, disabledSites: ['x.example'] });
    expect((await screen.findByTestId('sites')).textContent).toContain('x.example');
    cleanup();
    render(<App store={{ load: () => Promise.reject(new Error('storage gone')), save: async (s) => s }} />);
    expect((await screen.findByTestId('options-status')).textContent).toBe('Could not load the settings: storage gone');
  });
});
