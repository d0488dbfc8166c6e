import { createContext } from 'preact';
import { copyText } from './clipboard';

/** How every Copy button below it writes the clipboard: the panel provides its own (tests and harnesses a fake). */
export const CopyContext = createContext<(text: string) => Promise<boolean>>(copyText);
