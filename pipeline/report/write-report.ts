/** `DIR/report.html` from the files of a run folder; each section renders on its own so one failure stays local. */
import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { runPaths } from '../../run-folder/run-folder.js';
import { html, note } from './html.js';
import { loadRunInputs } from './inputs.js';
import { page, type RenderedSection } from './page.js';
import { SECTIONS } from './sections/registry.js';

/** The report as a string (the test and the pipeline's summary both use it). */
export async function renderReport(runDir: string, now = new Date()): Promise<string> {
  const run = await loadRunInputs(runDir);
  const rendered: RenderedSection[] = [];
  for (const s of SECTIONS) {
    let body: Awaited<ReturnType<typeof s.render>>;
    try {
      body = await s.render(run);
    } catch (err) {
      // A plotting bug must not cost the user the whole report; the section says what broke instead.
      body = note(html`This section failed to render: <pre>${(err as Error).stack ?? String(err)}</pre>`, 'error');
    }
    rendered.push({ id: s.id, title: s.title, body });
  }
  return page(run, rendered, now);
}

/** Writes `runDir/report.html` and returns its path. */
export async function writeReport(runDir: string): Promise<string> {
  const path = runPaths(runDir).report;
  await writeFileAtomic(path, await renderReport(runDir));
  return path;
}
