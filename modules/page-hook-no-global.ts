/**
 * WXT builds each content script as `var <name> = (function () { ... })(); <name>;` so that
 * `scripting.executeScript` gets main()'s result. In the MAIN world that `var` becomes a global of the page
 * (`window.pageHook`), which the page can see and which breaks a page script declaring `let pageHook` at top
 * level ("Identifier has already been declared"). The page hook is only ever registered, never executed for a
 * result, so its bundle drops the variable and keeps a bare IIFE.
 */
import { defineWxtModule } from 'wxt/modules';
import type { Plugin } from 'vite';

const ENTRY = 'page-hook';
const NAME = 'pageHook';

export function pageHookNoGlobal(): Plugin {
  return {
    name: 'report-inspector:page-hook-no-global',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        chunk.code = chunk.code
          .replace(new RegExp(`^var ${NAME}\\s*=\\s*`), '')
          .replace(new RegExp(`\\n?${NAME};\\s*$`), '\n');
      }
    },
  };
}

export default defineWxtModule({
  name: 'page-hook-no-global',
  setup(wxt) {
    wxt.hook('vite:build:extendConfig', (entrypoints, config) => {
      if (entrypoints.length === 1 && entrypoints[0]!.name === ENTRY) {
        config.plugins = [...(config.plugins ?? []), pageHookNoGlobal()];
      }
    });
  },
});
