export { createApp } from './app.js';
export type { ServeApp, ServeOptions } from './app.js';
export { listen } from './listen.js';
export type { RunningServer } from './listen.js';
export type { ActivationSource, LayerActivation, LayerInfo, ChannelStats } from './activations.js';
export type { ServedModel } from './models/served-model.js';
export { discoverModels, MODEL_NAME } from './models/repository.js';
export { bindRefusal } from './http/guard.js';
export type { Logger, LogEntry } from './http/log.js';
