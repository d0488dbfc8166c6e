// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from '@/components/common/clipboard';

afterEach(() => vi.unstubAllGlobals());

describe('copyText', () => {
  it('uses the async clipboard when it works', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(window.navigator, 'clipboard', { value: { writeText }, configurable: true });
    await expect(copyText('hello')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('hello');
  });

  it('falls back to execCommand on a hidden textarea when the clipboard refuses', async () => {
    Object.defineProperty(window.navigator, 'clipboard', {
      value: {
        writeText: async () => {
          throw new Error('Document is not focused.');
        },
      },
      configurable: true,
    });
    let copied: string | null = null;
    const exec = vi.fn((cmd: string) => {
      copied =
        (document.activeElement as HTMLTextAreaElement | null)?.value ??
        document.querySelector('textarea')?.value ??
        null;
      return cmd === 'copy';
    });
    (document as unknown as { execCommand: typeof exec }).execCommand = exec;
    await expect(copyText('chrome://crash/')).resolves.toBe(true);
    expect(exec).toHaveBeenCalledWith('copy');
    expect(copied).toBe('chrome://crash/');
    expect(document.querySelector('textarea')).toBeNull();
  });
});
