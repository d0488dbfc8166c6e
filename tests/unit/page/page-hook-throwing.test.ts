// @vitest-environment happy-dom
/** The recorder failing must never reach the page: here scrubbing and element description throw. */
import { afterEach, expect, test, vi } from 'vitest';
import { Window as HappyWindow } from 'happy-dom';

vi.mock('@/utils/page/scrub', () => ({
  scrub: () => {
    throw new Error('scrub exploded');
  },
  scrubValue: () => {
    throw new Error('scrubValue exploded');
  },
}));
vi.mock('@/utils/page/describe-element', () => ({
  describeElement: () => {
    throw new Error('describe exploded');
  },
  elementPath: () => '',
}));

const { installPageHook } = await import('@/entrypoints/page-hook.content');

const windows: HappyWindow[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

test('a throwing recorder never reaches the page; the page still gets its results and errors', async () => {
  const win = new HappyWindow({ url: 'https://shop.example/' }) as unknown as Window & typeof globalThis;
  windows.push(win as unknown as HappyWindow);
  const log = vi.fn(() => 'logged');
  win.console.log = log;
  const response = new Response('ok');
  const error = new TypeError('Failed to fetch');
  let fail = false;
  win.fetch = () => (fail ? Promise.reject(error) : Promise.resolve(response));
  const pageErrors: unknown[] = [];
  win.addEventListener('error', (e) => pageErrors.push(e));

  // Even the install itself must not throw (the load breadcrumb scrubs the URL).
  expect(() => installPageHook(win, { post: () => undefined })).not.toThrow();

  expect(win.console.log('x', { a: 1 })).toBe('logged');
  expect(log).toHaveBeenCalledWith('x', { a: 1 });
  await expect(win.fetch('/a?token=1')).resolves.toBe(response);
  fail = true;
  await expect(win.fetch('/b')).rejects.toBe(error);
  expect(() => win.history.pushState(null, '', '/next')).not.toThrow();
  expect(win.location.pathname).toBe('/next');
  win.document.body.innerHTML = '<button>Go</button>';
  expect(() => (win.document.querySelector('button') as unknown as HTMLElement).click()).not.toThrow();
  expect(pageErrors).toHaveLength(0);
});
