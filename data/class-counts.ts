import type { DatasetInfo } from './types.js';

/**
 * The class list with examples per class, printed before training: a class that went missing (a skipped
 * folder, an unfollowed link) shows up here, not as an accuracy that is quietly about fewer classes.
 */
export function describeClasses(info: DatasetInfo): string[] {
  const counts = info.classCounts;
  if (!counts) return [];
  const width = Math.max(...info.labels.map((l) => l.length));
  return [
    `${info.classes} classes (train / test images):`,
    ...info.labels.map(
      (label, i) =>
        `  ${String(i).padStart(String(info.classes - 1).length)} ${label.padEnd(width)}  ${counts.train[i]} / ${counts.test[i]}`,
    ),
  ];
}
