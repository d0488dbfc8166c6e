// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from 'vitest';
import {
  describeElement,
  elementPath,
  elementText,
  type ElementLike,
  type NodeLike,
} from '@/utils/page/describe-element';

const el = (html: string, selector?: string): ElementLike => {
  document.body.innerHTML = html;
  return (selector ? document.querySelector(selector) : document.body.firstElementChild) as unknown as ElementLike;
};

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('describeElement', () => {
  test('tag, id, classes and text', () => {
    expect(describeElement(el('<button id="buy" class="primary">Add to cart</button>'))).toBe(
      'button#buy.primary "Add to cart"',
    );
  });

  test('text is trimmed, collapsed and capped at 40 chars', () => {
    const d = describeElement(el(`<a class="x  y z w">\n   Read   the\n\n full ${'story '.repeat(20)}</a>`));
    expect(d.startsWith('a.x.y.z "Read the full story')).toBe(true);
    const text = /"(.*)"/.exec(d)![1]!;
    expect(text.length).toBe(40);
    expect(text.endsWith('…')).toBe(true);
  });

  test('inputs never include their value', () => {
    const input = el('<input id="email" type="email" name="email" value="jane@example.com">');
    (input as unknown as HTMLInputElement).value = 'typed secret';
    const d = describeElement(input);
    expect(d).toBe('input#email[type=email][name=email]');
    expect(d).not.toContain('jane');
    expect(d).not.toContain('secret');
  });

  test('textarea and select contents are not read', () => {
    expect(describeElement(el('<textarea id="msg">my private note</textarea>'))).toBe('textarea#msg');
    expect(describeElement(el('<select name="card"><option>Visa 4111</option></select>'))).toBe('select[name=card]');
  });

  test('form fields inside a clicked container are skipped, scripts too', () => {
    expect(describeElement(el('<label>Card <input value="4111"><script>var s=1</script> number</label>'))).toBe(
      'label "Card number"',
    );
  });

  test('empty elements fall back to aria-label, title or alt', () => {
    expect(describeElement(el('<button class="icon" aria-label="Close dialog"><svg></svg></button>'))).toBe(
      'button.icon "Close dialog"',
    );
    expect(describeElement(el('<img alt="Logo">'))).toBe('img "Logo"');
    expect(describeElement(el('<div></div>'))).toBe('div');
  });

  test('SVG classes come from the attribute; className objects alone are ignored', () => {
    expect(describeElement(el('<svg class="chart"><rect></rect></svg>'))).toBe('svg.chart');
    const e: ElementLike = {
      tagName: 'path',
      className: { baseVal: 'x' },
      nodeType: 1,
      nodeValue: null,
      firstChild: null,
      nextSibling: null,
    };
    expect(describeElement(e)).toBe('path');
  });

  test('works on a minimal object, not only DOM elements', () => {
    const text = { nodeType: 3, nodeValue: ' Hello ', firstChild: null, nextSibling: null };
    const e: ElementLike = {
      tagName: 'SPAN',
      id: 'greet',
      className: 'a b',
      nodeType: 1,
      nodeValue: null,
      firstChild: text,
      nextSibling: null,
    };
    expect(describeElement(e)).toBe('span#greet.a.b "Hello"');
  });

  test('huge containers stay cheap: a bounded number of nodes is visited, however many there are', () => {
    // 20,000 `<p>word</p>` children, made on demand, counting every node the walk reaches (work, not time: the
    // figure holds on a busy machine).
    let visited = 0;
    const text = (): NodeLike => ({ nodeType: 3, nodeValue: 'word', firstChild: null, nextSibling: null });
    const p = (i: number): ElementLike => {
      visited++;
      return {
        nodeType: 1,
        nodeValue: null,
        tagName: 'P',
        get firstChild() {
          return text();
        },
        get nextSibling() {
          return i + 1 < 20_000 ? p(i + 1) : null;
        },
      };
    };
    const root: ElementLike = {
      nodeType: 1,
      nodeValue: null,
      tagName: 'DIV',
      id: 'root',
      get firstChild() {
        return p(0);
      },
      nextSibling: null,
    };
    const d = describeElement(root);
    expect(d.startsWith('div#root "wordword')).toBe(true);
    expect(visited).toBeLessThanOrEqual(200);
  });
});

describe('elementPath', () => {
  test('stops at an id', () => {
    const b = el(
      '<main id="app"><div class="cart"><form><button class="primary">Pay</button></form></div></main>',
      'button',
    );
    expect(elementPath(b)).toBe('main#app > div.cart > form > button.primary');
  });
  test('at most four levels', () => {
    const b = el('<div><div><div><div><div><span>x</span></div></div></div></div></div>', 'span');
    expect(elementPath(b).split(' > ')).toHaveLength(4);
  });
});

describe('elementText', () => {
  test('collects text nodes in order', () => {
    expect(elementText(el('<p>Hello <b>big</b> world</p>') as never)).toBe('Hello big world');
  });
});
