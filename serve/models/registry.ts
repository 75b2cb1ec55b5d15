/** Served models by URL name, with the `default` alias. Lookups validate the name before anything else. */
import { badRequest, notFound, unavailable } from '../errors.js';
import { DEFAULT_ALIAS, MODEL_NAME, type Repository } from './repository.js';
import { loadModel, type RuntimeOptions, type ServedModel } from './served-model.js';

/** A model file that was found but failed to load, with the reason (reported by health/ready, /v2/models, logs). */
export interface BrokenModel {
  name: string;
  path: string;
  error: string;
}

export interface ModelRegistry {
  names: string[];
  broken: BrokenModel[];
  defaultName: string;
  get(name: string): ServedModel;
  all(): ServedModel[];
  close(): Promise<void>;
}

export async function loadRegistry(repo: Repository, opts: RuntimeOptions): Promise<ModelRegistry> {
  const models = new Map<string, ServedModel>();
  // One truncated or foreign file in a folder of runs must not take the others down: it is set aside with
  // its reason, and only a folder where nothing loads is an error.
  const broken: BrokenModel[] = [];
  for (const e of repo.entries) {
    try {
      models.set(e.name, await loadModel(e.name, e.path, opts, e.card ?? null));
    } catch (err) {
      broken.push({ name: e.name, path: e.path, error: (err as Error).message.split('\n')[0] });
    }
  }
  // An empty repository is allowed (serve --runs alone); one where every file failed is not.
  if (models.size === 0 && repo.entries.length > 0) {
    throw new Error(`no model could be loaded: ${broken.map((b) => `${b.path}: ${b.error}`).join('; ')}`);
  }
  const names = [...models.keys()];
  // The alias follows the newest model that loaded.
  const loaded = repo.entries.filter((e) => models.has(e.name));
  const defaultName =
    models.has(repo.defaultName) || loaded.length === 0
      ? repo.defaultName
      : loaded.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a)).name;
  return {
    names,
    broken,
    defaultName,
    get(name) {
      if (!MODEL_NAME.test(name))
        throw badRequest(`invalid model name ${JSON.stringify(name.slice(0, 80))}: names match ${MODEL_NAME}`);
      const m = models.get(name === DEFAULT_ALIAS ? defaultName : name);
      if (m) return m;
      const b = broken.find((x) => x.name === name);
      if (b)
        throw unavailable(
          `model "${name}" could not be loaded (${b.path}: ${b.error}); replace the file and restart the server`,
        );
      throw notFound(`unknown model "${name}"; served: ${[DEFAULT_ALIAS, ...names].join(', ')}`);
    },
    all: () => [...models.values()],
    async close() {
      await Promise.all([...models.values()].map((m) => m.close()));
    },
  };
}
