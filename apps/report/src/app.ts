import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { ReportEnv } from '@inkwell/config';
import { createRedis, createTypedWorker, TypedQueue, type TypedHandlers } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { loadFonts } from './render/load-fonts';
import type { ReportFonts } from './render/report-pdf';
import { reportRenderJob, type ReportRenderDeps } from './reports/report-render.job';
import { reportsRoutes } from './reports/reports.routes';
import { ReportsService } from './reports/reports.service';
import { ReportsStore } from './reports/reports.store';
import { TrainerClient } from './reports/trainer-client';

export interface ReportBuildOptions {
  readonly now?: () => Date;
}

export const reportHandlers = (deps: ReportRenderDeps): TypedHandlers<'report'> => ({
  'report.render': (payload, ctx) => reportRenderJob(deps, payload, ctx),
});

/** The report service's `build`: the store, the `report` queue and its worker (started in `start`), the routes. */
export function buildReport(ctx: ServiceContext<ReportEnv>, opts: ReportBuildOptions = {}) {
  const { config, logger, db, redis } = ctx;
  const now = opts.now ?? (() => new Date());
  const queue = new TypedQueue('report', redis, config.REDIS_PREFIX);
  const store = new ReportsStore(db);
  const reports = new ReportsService(store, queue, now);
  const trainer = new TrainerClient(config.REPORT_TRAINER_URL, config.INTERNAL_TOKEN_SECRET, config.REPORT_TRAINER_TIMEOUT_MS);
  // Read once, on the first render: a missing font fails that job with the path, not start-up.
  let fonts: Promise<ReportFonts> | null = null;
  const deps: ReportRenderDeps = { store, trainer, now, fonts: () => (fonts ??= loadFonts(config.REPORT_FONT_DIR)) };

  let worker: Worker | null = null;
  let connection: ReturnType<typeof createRedis> | null = null;
  return {
    routes: (app: Express) => {
      app.use(reportsRoutes(reports));
    },
    start: async () => {
      connection = createRedis(config.REDIS_URL, 'worker');
      worker = await createTypedWorker(queue, reportHandlers(deps), { connection, logger });
    },
    stop: async () => {
      await worker?.close();
      connection?.disconnect();
      await queue.close();
    },
    queues: [queue],
    exposes: { reports, store, queue, worker: () => worker },
  };
}
