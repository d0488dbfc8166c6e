/**
 * WXT builds each content script as `var <name> = (function () { ... })(); <name>;` so that
 * `scripting.executeScript` gets main()'s result. In the MAIN world that `var` becomes a global of the page
 * (`window.pageHook`), which the page can see and which breaks a page script declaring `let pageHook` at top
 * level ("Identifier has already been declared"). The page hook is only ever registered, never executed for a
 * result, so its bundle drops the variable and keeps a bare IIFE.
 *
 * It also drops WXT's start-up wrapper (an async IIFE that logs "crashed on startup" through a small console
 * logger): the hook's `main()` catches everything itself, so the wrapper is dead weight in a script whose size is
 * budgeted (4 KB min+gzip). When the minified wrapper does not have the expected shape, the code is left as it is.
 */
import { defineWxtModule } from 'wxt/modules';
import type { Plugin } from 'vite';

const ENTRY = 'page-hook';
const NAME = 'pageHook';

/** WXT's minified start-up wrapper: `function a(){}function b(m,...a){}const l={debug:…,error:…};return(async()=>{try{return await d.main()}catch(e){throw l.error('…',e),e}})()`. */
const STARTUP_WRAPPER =
  /function [\w$]+\(\)\{\}function ([\w$]+)\([\w$]+,\.\.\.[\w$]+\)\{\}const ([\w$]+)=\{debug:[^;]*?\};return\(async\(\)=>\{try\{return await ([\w$]+)\.main\(\)\}catch\(([\w$]+)\)\{throw \2\.error\('[^']*',\4\),\4\}\}\)\(\)/;

export function pageHookNoGlobal(): Plugin {
  return {
    name: 'report-inspector:page-hook-no-global',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        chunk.code = chunk.code
          .replace(new RegExp(`^var ${NAME}\\s*=\\s*`), '')
          .replace(new RegExp(`\\n?${NAME};\\s*$`), '\n')
          .replace(STARTUP_WRAPPER, 'return $3.main()');
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
