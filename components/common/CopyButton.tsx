import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { CopyContext } from './copy-context';

export interface CopyButtonProps {
  /** The text to copy, or a function computing it on click (for large values). */
  text: string | (() => string);
  label?: string;
  testId?: string;
  /** Replaces the clipboard (tests, harness); default: the nearest `CopyContext`'s. */
  copy?: (text: string) => Promise<boolean>;
  onCopied?: (ok: boolean) => void;
  title?: string;
}

/** A button that copies text and says whether it worked. */
export function CopyButton({ text, label = 'Copy', testId, copy: own, onCopied, title }: CopyButtonProps) {
  const fromContext = useContext(CopyContext);
  const copy = own ?? fromContext;
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const onClick = async (e: Event) => {
    e.stopPropagation();
    const ok = await copy(typeof text === 'function' ? text() : text).catch(() => false);
    setState(ok ? 'copied' : 'failed');
    onCopied?.(ok);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button
      type="button"
      class={`btn copy ${state}`}
      data-testid={testId}
      title={title}
      onClick={(e) => void onClick(e)}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
