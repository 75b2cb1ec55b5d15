/**
 * Finds the models under --models DIR. Three layouts, tried in this order:
 *   run folder          DIR/model.onnx                      → served as basename(DIR)
 *   folder of runs      DIR/<run>/model.onnx                → served as <run>
 *   Triton repository   DIR/<name>/<version>/model.onnx     → served as <name>, highest numeric version
 * `default` is an alias of the single model, or of the most recently written one. Names come only from
 * this listing (URLs are looked up, never joined onto paths), and files whose real path leaves DIR through
 * a symlink are skipped, so no request can reach outside DIR.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { builtinCard } from '../../probe/cards/builtin.js';
import type { ModelCard } from '../../probe/cards/card.js';
import { referenceModelPath } from '../../probe/cards/reference-model.js';

export interface ModelEntry {
  name: string;
  path: string;
  layout: 'run' | 'triton' | 'reference';
  mtimeMs: number;
  /** References (`--reference`) are served with their model card: labels, preprocessing, crop. */
  card?: ModelCard;
}

export interface Repository {
  root: string;
  entries: ModelEntry[];
  /** Name the `default` alias points at. */
  defaultName: string;
  /** Things found and skipped, with the reason (logged at startup). */
  skipped: string[];
}

/** What a model name may look like in a URL: no slashes, no leading dot, so `..` can never be one. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
export const DEFAULT_ALIAS = 'default';

const isFile = async (p: string): Promise<boolean> => (await stat(p).catch(() => null))?.isFile() ?? false;

/** Folder names become URL names: anything outside MODEL_NAME's alphabet turns into `_`. */
const urlName = (raw: string): string => raw.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._-]+/, '') || 'model';

export async function discoverModels(dir: string): Promise<Repository> {
  const root = await realpath(resolve(dir)).catch(() => {
    throw new Error(`--models ${dir}: no such folder`);
  });
  const skipped: string[] = [];
  const found: Array<Omit<ModelEntry, 'mtimeMs'>> = [];
  if (await isFile(join(root, 'model.onnx')))
    found.push({ name: urlName(basename(root)), path: join(root, 'model.onnx'), layout: 'run' });
  else {
    const subdirs = (await readdir(root, { withFileTypes: true }))
      .filter((d) => !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
    for (const sub of subdirs) {
      const entry = await modelIn(join(root, sub));
      if (!entry) continue;
      if (!MODEL_NAME.test(sub)) skipped.push(`${sub}: folder name is not a valid model name (${MODEL_NAME})`);
      else found.push({ name: sub, ...entry });
    }
  }
  const entries: ModelEntry[] = [];
  for (const f of found) {
    const real = await realpath(f.path);
    const rel = relative(root, real);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      skipped.push(`${f.name}: ${f.path} resolves outside ${root}`);
      continue;
    }
    entries.push({ ...f, path: real, mtimeMs: (await stat(real)).mtimeMs });
  }
  if (entries.length === 0) {
    throw new Error(
      `--models ${dir}: no models found; expected DIR/model.onnx, DIR/<run>/model.onnx or DIR/<name>/<version>/model.onnx${skipped.length ? ` (skipped: ${skipped.join('; ')})` : ''}`,
    );
  }
  const explicit = entries.find((e) => e.name === DEFAULT_ALIAS);
  const newest = entries.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  return { root, entries, defaultName: (explicit ?? newest).name, skipped };
}

async function modelIn(sub: string): Promise<{ path: string; layout: ModelEntry['layout'] } | null> {
  if (await isFile(join(sub, 'model.onnx'))) return { path: join(sub, 'model.onnx'), layout: 'run' };
  if (!(await isFile(join(sub, 'config.pbtxt')))) return null;
  const versions = (await readdir(sub, { withFileTypes: true }).catch(() => []))
    .filter((d) => /^\d+$/.test(d.name))
    .map((d) => Number(d.name))
    .sort((a, b) => b - a);
  for (const v of versions)
    if (await isFile(join(sub, String(v), 'model.onnx')))
      return { path: join(sub, String(v), 'model.onnx'), layout: 'triton' };
  return null;
}

/**
 * Adds built-in reference cards (`--reference squeezenet1.1`) as models named after the card: the shipped or
 * cached file, checksum verified. A name already taken by a run is an error, not a silent shadowing.
 */
export async function addReferences(repo: Repository, names: string[]): Promise<Repository> {
  const entries = [...repo.entries];
  for (const n of names) {
    const card = builtinCard(n);
    if (!MODEL_NAME.test(card.name))
      throw new Error(`--reference ${n}: card name ${card.name} is not a valid model name (${MODEL_NAME})`);
    if (entries.some((e) => e.name === card.name))
      throw new Error(`--reference ${n}: a model named ${card.name} is already served from ${repo.root}`);
    entries.push({ name: card.name, path: await referenceModelPath(card), layout: 'reference', mtimeMs: 0, card });
  }
  return { ...repo, entries };
}
