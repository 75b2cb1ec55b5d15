/** probe/ must not import tfjs, directly or through what it imports from train/ (DESIGN.md folder rules). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );
}

function walk(entries: string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = entries.map((e) => resolve(e));
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const spec of importsOf(f)) {
      if (spec.startsWith('.')) {
        const ts = resolve(dirname(f), spec.replace(/\.js$/, '.ts'));
        if (existsSync(ts)) queue.push(ts);
      } else packages.set(spec, f);
    }
  }
  return { files, packages };
}

describe('probe dependencies', () => {
  it('reach no @tensorflow package, even through data/', () => {
    const { files, packages } = walk(
      ['probe/index.ts', 'probe/cli.ts', 'probe/fetch-reference-cli.ts'].map((f) => join(process.cwd(), f)),
    );
    expect([...files].some((f) => f.startsWith(`${join(process.cwd(), 'data')}/`))).toBe(true);
    const tf = [...packages].filter(([p]) => p.startsWith('@tensorflow'));
    expect(tf).toEqual([]);
  });
});
