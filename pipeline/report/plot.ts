/** One vega-lite spec → one static SVG inside `<figure data-plot="id">`, rendered in Node (no script in the page). */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { html, trusted, type Html } from './html.js';

const CONFIG: TopLevelSpec['config'] = {
  font: 'system-ui, sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 220 },
  title: { fontSize: 13, anchor: 'start' },
};

/**
 * vega numbers its clip paths and gradients with process-wide counters; several SVGs inline in one HTML
 * document share one id space, so each plot's ids get the plot's own prefix to keep `url(#…)` local.
 */
function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const full: TopLevelSpec = { ...spec, config: { ...CONFIG, ...spec.config } };
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    return scopeIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

/** `id` must be unique in the report and made of [a-z0-9-] (tests select plots by it). */
export async function plot(id: string, spec: TopLevelSpec, caption?: string): Promise<Html> {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`plot id "${id}" must match [a-z0-9-]+`);
  const svg = await renderSvg(spec, `p-${id}`);
  return html`<figure class="plot" data-plot="${id}">${trusted(svg)}${caption ? html`<figcaption>${caption}</figcaption>` : ''}</figure>`;
}
