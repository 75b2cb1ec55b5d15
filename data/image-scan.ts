import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { byCodeUnit } from './util.js';

export const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

type Kind = 'dir' | 'file' | 'missing' | 'other';

/** What a path is once symbolic links are followed (ImageNet subsets are usually trees of links). */
async function kindOf(path: string): Promise<Kind> {
  const s = await stat(path).catch(() => null);
  return s === null ? 'missing' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
}

const inside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/**
 * Class name -> sorted image paths, classes sorted by name, following symbolic links to class folders and
 * to image files. A link that leads nowhere is an error naming it (a silently dropped class trained on with
 * fewer classes was the failure this replaces); a class folder that resolves to the folder being scanned or
 * one of its ancestors (a link loop) or to the same folder as another class is refused.
 */
export async function scanClasses(dir: string, opts: { allowEmpty?: boolean } = {}): Promise<Map<string, string[]>> {
  const dirReal = await realpath(dir);
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort(byCodeUnit);
  const classes: string[] = [];
  const realOf = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const kind = await kindOf(path);
    if (kind === 'missing')
      throw new Error(`image-folder: ${path} is a symbolic link to nothing; fix or remove the link.`);
    if (kind !== 'dir') continue;
    const real = await realpath(path);
    if (inside(dirReal, real))
      throw new Error(
        `image-folder: class folder ${path} links back to ${real}, which contains ${dir} (a link loop); point it at a folder of images.`,
      );
    const twin = [...realOf].find(([, r]) => r === real);
    if (twin)
      throw new Error(
        `image-folder: class folders ${join(dir, twin[0])} and ${path} are the same folder (${real}); one image cannot be in two classes.`,
      );
    realOf.set(name, real);
    classes.push(name);
  }
  if (classes.length === 0)
    throw new Error(`image-folder: ${dir} has no class sub-folders; expected ${dir}/<class>/*.jpg|png.`);
  const out = new Map<string, string[]>();
  for (const name of classes) {
    const files: string[] = [];
    for (const file of (await readdir(join(dir, name)))
      .filter((n) => !n.startsWith('.') && IMAGE_EXT.test(n))
      .sort(byCodeUnit)) {
      const path = join(dir, name, file);
      const kind = await kindOf(path);
      if (kind === 'missing')
        throw new Error(`image-folder: ${path} is a symbolic link to nothing; fix or remove the link.`);
      if (kind === 'file') files.push(path);
    }
    if (files.length === 0 && !opts.allowEmpty) {
      throw new Error(
        `image-folder: class folder ${join(dir, name)} holds no .jpg/.jpeg/.png/.webp files; add images or remove the folder.`,
      );
    }
    out.set(name, files);
  }
  return out;
}
