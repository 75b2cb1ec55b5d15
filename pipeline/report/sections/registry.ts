/** The report's sections, in page order: the diagnosis first, then the evidence behind it. */
import { bandsSection } from './bands.js';
import { compareSection } from './compare.js';
import { diagnosisSection } from './diagnosis.js';
import { gradientsSection } from './gradients.js';
import { magnitudesSection } from './magnitudes.js';
import { paritySection } from './parity.js';
import { seGatesSection } from './se-gates.js';
import type { Section } from './section.js';
import { stdHeatmapSection } from './std-heatmap.js';
import { trainingSection } from './training.js';

export const SECTIONS: readonly Section[] = [
  diagnosisSection,
  trainingSection,
  bandsSection,
  stdHeatmapSection,
  gradientsSection,
  seGatesSection,
  compareSection,
  magnitudesSection,
  paritySection,
];
