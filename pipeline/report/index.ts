export { writeReport, renderReport } from './write-report.js';
export { SECTIONS } from './sections/registry.js';
export type { Section } from './sections/section.js';
export { loadRunInputs } from './inputs.js';
export type { Loaded, RunInputs } from './inputs.js';
export { escapeHtml } from './html.js';
