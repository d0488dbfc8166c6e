/**
 * Short descriptions of clicked elements for breadcrumbs, e.g. `button#buy.primary "Add to cart"`. Pure over a
 * minimal element interface (a DOM `Element` fits); ships inside the MAIN-world hook, so it stays small.
 */

/** The parts of a DOM node read here. */
export interface NodeLike {
  nodeType: number;
  nodeValue: string | null;
  firstChild: NodeLike | null;
  nextSibling: NodeLike | null;
}

/** The parts of a DOM element read here. */
export interface ElementLike extends NodeLike {
  tagName: string;
  id?: string;
  className?: unknown;
  parentElement?: ElementLike | null;
  getAttribute?(name: string): string | null;
}

const TEXT_CAP = 40;
/** Elements whose text is, or may be, what the user typed or chose, or is not text at all: never read. */
const NO_TEXT = /^(input|textarea|select|option|script|style|template)$/i;
/** Text nodes visited at most, so clicking a huge container stays cheap. */
const MAX_NODES = 200;

/** Whitespace collapsed, trimmed, capped at {@link TEXT_CAP} chars. */
const clip = (text: string): string => {
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > TEXT_CAP ? text.slice(0, TEXT_CAP - 1) + '…' : text;
};

/** Visible-ish text of an element: text nodes in order, collapsed and trimmed, capped at {@link TEXT_CAP} chars. */
export function elementText(el: NodeLike): string {
  let text = '';
  let seen = 0;
  const walk = (n: NodeLike | null): void => {
    for (; n && text.length <= TEXT_CAP * 2 && seen++ < MAX_NODES; n = n.nextSibling) {
      if (n.nodeType === 3) text += n.nodeValue;
      else if (n.nodeType === 1 && !NO_TEXT.test((n as ElementLike).tagName)) walk(n.firstChild);
    }
  };
  walk(el.firstChild);
  return clip(text);
}

/** `tag#id.class1.class2` (at most three classes, the id capped), plus `[type=…]` for inputs. */
export function elementSelector(el: ElementLike): string {
  const tag = el.tagName.toLowerCase();
  let s = tag;
  if (el.id) s += '#' + el.id.slice(0, 40);
  // The attribute, since SVG elements have an SVGAnimatedString className.
  const cls = el.getAttribute?.('class') ?? (typeof el.className === 'string' ? el.className : '');
  if (cls?.trim()) s += '.' + cls.trim().split(/\s+/, 3).join('.');
  const type = tag === 'input' && el.getAttribute?.('type');
  return type ? `${s}[type=${type.slice(0, 20)}]` : s;
}

/** A short CSS-like path from the nearest ancestor with an id (or four levels up) to the element. */
export function elementPath(el: ElementLike): string {
  const parts: string[] = [];
  for (let e: ElementLike | null | undefined = el; e && parts.length < 4; e = e.parentElement) {
    parts.unshift(elementSelector(e));
    if (e.id || /^(body|html)$/i.test(e.tagName)) break;
  }
  return parts.join(' > ');
}

/**
 * `button#buy.primary "Add to cart"`. Form fields never include their value or text (a `[name=…]` instead);
 * an element without text falls back to its `aria-label`, `title` or `alt`.
 */
export function describeElement(el: ElementLike): string {
  const sel = elementSelector(el);
  if (NO_TEXT.test(el.tagName)) {
    const name = el.getAttribute?.('name');
    return name ? `${sel}[name=${name.slice(0, 40)}]` : sel;
  }
  const attr = (name: string) => el.getAttribute?.(name) ?? '';
  const text = elementText(el) || clip(attr('aria-label') || attr('title') || attr('alt'));
  return text ? `${sel} "${text}"` : sel;
}
