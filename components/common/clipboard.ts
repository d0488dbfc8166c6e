/**
 * Copy text to the clipboard. `navigator.clipboard` needs focus and may be refused in DevTools panels; the
 * fallback selects a hidden textarea and runs `execCommand('copy')` (allowed by the `clipboardWrite` permission).
 */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  try {
    const clip = doc.defaultView?.navigator.clipboard;
    if (clip?.writeText) {
      await clip.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the legacy path */
  }
  return copyWithTextarea(text, doc);
}

function copyWithTextarea(text: string, doc: Document): boolean {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  doc.body.appendChild(area);
  const active = doc.activeElement as HTMLElement | null;
  try {
    area.select();
    return typeof doc.execCommand === 'function' ? doc.execCommand('copy') : false;
  } catch {
    return false;
  } finally {
    area.remove();
    active?.focus?.();
  }
}
