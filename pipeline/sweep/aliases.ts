/**
 * Short names for the config paths people vary most, and named values for fields whose value is an object
 * (so a folder reads `augment=off`, not `augment={"cropPadding":0,"flip":false}`). Anything else is
 * written as its full dotted path (`model.se.ratio`, `schedule.1.lr`).
 */
export interface Alias {
  path: string;
  describes: string;
  /** Named values: label → the JSON value set at `path`. Other values are parsed as JSON. */
  values?: Record<string, unknown>;
}

export const ALIASES: Record<string, Alias> = {
  lr: { path: 'schedule.0.lr', describes: 'learning rate of the first schedule point' },
  batch: { path: 'schedule.0.batchSize', describes: 'batch size of the first schedule point' },
  optimizer: {
    path: 'optimizer',
    describes: 'optimizer kind, with its default settings',
    values: { adam: { kind: 'adam' }, sgd: { kind: 'sgd' } },
  },
  augment: {
    path: 'augment',
    describes: 'augmentation: off, or on (2-pixel crop padding + horizontal flip)',
    values: { off: { cropPadding: 0, flip: false }, on: { cropPadding: 2, flip: true } },
  },
  se: {
    path: 'model.se',
    describes: 'squeeze-and-excitation blocks: off, or on (ratio 4, no regulariser)',
    values: { off: null, on: { ratio: 4, nearOneWeight: 0 } },
  },
  nearOne: {
    path: 'model.se.nearOneWeight',
    describes: 'weight of the near-one regulariser on the SE gates (0 = off)',
  },
  width: { path: 'model.width', describes: 'channel width multiplier' },
  dropout: { path: 'model.dropout', describes: 'dropout rate' },
  preset: { path: 'model.preset', describes: 'model preset' },
  epochs: { path: 'miniEpochs', describes: 'number of mini-epochs' },
  images: { path: 'miniEpochImages', describes: 'images per mini-epoch' },
  seed: { path: 'seed', describes: 'seed of data order, augmentation and initial weights' },
};

/** The alias whose path is `path`, for naming a file's axis by its short name. */
export function aliasOfPath(path: string): string | undefined {
  return Object.entries(ALIASES).find(([, a]) => a.path === path)?.[0];
}
