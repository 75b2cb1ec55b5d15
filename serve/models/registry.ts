/** Served models by URL name, with the `default` alias. Lookups validate the name before anything else. */
import { badRequest, notFound } from '../errors.js';
import { DEFAULT_ALIAS, MODEL_NAME, type Repository } from './repository.js';
import { loadModel, type RuntimeOptions, type ServedModel } from './served-model.js';

export interface ModelRegistry {
  names: string[];
  defaultName: string;
  get(name: string): ServedModel;
  all(): ServedModel[];
  close(): Promise<void>;
}

export async function loadRegistry(repo: Repository, opts: RuntimeOptions): Promise<ModelRegistry> {
  const models = new Map<string, ServedModel>();
  try {
    for (const e of repo.entries) models.set(e.name, await loadModel(e.name, e.path, opts, e.card ?? null));
  } catch (err) {
    await Promise.all([...models.values()].map((m) => m.close()));
    throw err;
  }
  const names = [...models.keys()];
  return {
    names,
    defaultName: repo.defaultName,
    get(name) {
      if (!MODEL_NAME.test(name)) throw badRequest(`invalid model name ${JSON.stringify(name.slice(0, 80))}: names match ${MODEL_NAME}`);
      const m = models.get(name === DEFAULT_ALIAS ? repo.defaultName : name);
      if (!m) throw notFound(`unknown model "${name}"; served: ${[DEFAULT_ALIAS, ...names].join(', ')}`);
      return m;
    },
    all: () => [...models.values()],
    async close() {
      await Promise.all([...models.values()].map((m) => m.close()));
    },
  };
}
