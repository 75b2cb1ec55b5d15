/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is already `Html`
 * (made by this tag, or an SVG from vega which escapes its own text). So no caller can forget to escape a
 * layer name or a diagnosis string.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function piece(v: HtmlValue): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((v, i) => (out += piece(v) + strings[i + 1]));
  return new Html(out);
}

/** Marks trusted markup (vega's SVG output); nothing user-supplied may go through here unescaped. */
export const trusted = (markup: string): Html => new Html(markup);

/** The short message a section shows instead of its plots. */
export const note = (text: HtmlValue, kind: 'note' | 'error' = 'note'): Html =>
  html`<div class="${kind}">${text}</div>`;
