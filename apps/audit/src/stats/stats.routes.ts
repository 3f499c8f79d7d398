import { Router, type Response } from 'express';
import { requireRole } from '@inkwell/auth-guard';
import type { Logger } from '@inkwell/logger';
import type { StatsService } from './stats.service';

export interface StatsRoutesDeps {
  readonly stats: StatsService;
  /** How often the stream pushes (5 s in production; shorter in tests). */
  readonly streamIntervalMs: number;
  readonly logger: Logger;
}

/**
 * `GET /api/admin/stats` and its live form. The gateway already admits admins only; the role is
 * checked again here so no other internal caller reads the dashboard by mistake.
 */
export function statsRoutes(deps: StatsRoutesDeps): Router {
  const r = Router();
  r.get('/api/admin/stats', requireRole('admin'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await deps.stats.current());
  });
  r.get('/api/admin/stats/stream', requireRole('admin'), (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let open = true;
    const push = async (): Promise<void> => {
      try {
        const s = await deps.stats.current();
        if (open) write(res, s.generated_at, JSON.stringify(s));
      } catch (err) {
        // The next tick tries again; a comment keeps the connection visibly alive meanwhile.
        deps.logger.warn({ err }, 'stats not computed for the stream');
        if (open) res.write(': stats unavailable\n\n');
      }
    };
    const timer = setInterval(() => void push(), deps.streamIntervalMs);
    res.on('close', () => {
      open = false;
      clearInterval(timer);
    });
    void push();
  });
  return r;
}

const write = (res: Response, id: string, data: string): void => {
  res.write(`id: ${id}\nevent: stats\ndata: ${data}\n\n`);
};
