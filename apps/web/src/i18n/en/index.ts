import { audit } from './audit';
import { batch } from './batch';
import { common } from './common';
import { dashboard } from './dashboard';
import { draw } from './draw';
import { read } from './read';
import { session } from './session';
import { users } from './users';
import { apiKeys } from './api-keys';
import { datasets } from './datasets';
import { training } from './training';
import { models } from './models';
import { tuning } from './tuning';
import { benchmarks } from './benchmarks';
import { reports } from './reports';

/**
 * The English catalogue: every word the app shows. Each feature keeps its own block (keys
 * prefixed by the feature); a new language is a folder with the same keys (see i18n.ts).
 */
export const en = { ...common, ...session, ...dashboard, ...audit, ...users, ...apiKeys, ...draw, ...batch, ...read, ...datasets, ...training, ...models, ...benchmarks, ...reports, ...tuning } as const;
export type MessageKey = keyof typeof en;
