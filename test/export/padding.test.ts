import { describe, expect, it } from 'vitest';
import { padAttributes, tfSamePads } from '../../export/padding.js';

describe('TensorFlow same padding', () => {
  it.each([
    // [size, kernel, stride, dilation, expected [before, after]]
    [8, 3, 2, 1, [0, 1]],
    [9, 3, 2, 1, [1, 1]],
    [9, 2, 2, 1, [0, 1]],
    [7, 4, 1, 1, [1, 2]],
    [28, 3, 1, 1, [1, 1]],
    [10, 3, 1, 2, [2, 2]],
    [5, 1, 2, 1, [0, 0]],
  ])('size %i kernel %i stride %i dilation %i → %j (odd pixel after)', (size, k, s, d, want) => {
    expect(tfSamePads(size, k, s, d)).toEqual(want);
  });

  it('writes explicit [top, left, bottom, right] pads, SAME_UPPER only for unknown sizes', () => {
    expect(padAttributes('same', [8, 9], [3, 2], [2, 2])).toEqual({ pads: { kind: 'ints', value: [0, 0, 1, 1] } });
    expect(padAttributes('valid', [8, 9], [3, 3], [2, 2])).toEqual({ pads: { kind: 'ints', value: [0, 0, 0, 0] } });
    expect(padAttributes('same', [null, 9], [3, 3], [1, 1])).toEqual({
      auto_pad: { kind: 'string', value: 'SAME_UPPER' },
    });
  });
});
