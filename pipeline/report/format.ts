/** Numbers as a person reads them in a report: 3 significant digits, exponent only for the very small or large. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
}

export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`;

/** Finite numbers only: JSON writes NaN as null and parity writes "Infinity"; plots must not see either. */
export const isFiniteNumber = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v);

export function finiteMin(values: ReadonlyArray<number | null>): number | null {
  let m: number | null = null;
  for (const v of values) if (isFiniteNumber(v) && (m === null || v < m)) m = v;
  return m;
}

export function finiteMax(values: ReadonlyArray<number | null>): number | null {
  let m: number | null = null;
  for (const v of values) if (isFiniteNumber(v) && (m === null || v > m)) m = v;
  return m;
}
