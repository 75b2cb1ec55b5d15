import { html, note, type Html, type HtmlValue } from '../html.js';
import type { Loaded, RunInputs } from '../inputs.js';

/** One part of the report; `render` returns its body (plots, tables or a short message), never throws for bad input. */
export interface Section {
  id: string;
  title: string;
  render(run: RunInputs): Promise<Html>;
}

/** The message a section shows when its file is absent (with the stage that writes it) or unreadable. */
export function unavailable(input: Exclude<Loaded<unknown>, { status: 'ok' }>, writtenBy: HtmlValue): Html {
  if (input.status === 'missing')
    return note(html`No <code>${input.file}</code> in this run folder (written by ${writtenBy}).`);
  return note(html`<code>${input.file}</code> could not be read: <pre>${input.error}</pre>`, 'error');
}
