import type { Page } from 'playwright-core';
import { z } from 'zod';

/*
 * Observers installed in a page to catch states that may live for milliseconds (a progress bar on
 * a loopback link, the first point of a live chart), which polling from the test would miss.
 * Browser code as text: this project's types have no DOM.
 */

/** Every value the upload's progress bar takes from now on. */
export async function watchUploadBar(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(`(() => {
    const seen = [];
    window.uploadBar = seen;
    const look = () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Upload progress"]');
      if (bar) seen.push(Number(bar.getAttribute('aria-valuenow')));
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);
  return async () => z.array(z.number()).parse(await page.evaluate('window.uploadBar'));
}

const CurveWatch = z.object({ firstPointStatus: z.string().nullable(), firstPointAt: z.number().nullable(), completedAt: z.number().nullable() });
export type CurveWatch = z.infer<typeof CurveWatch>;

/**
 * From now on: the job's status at the moment the loss chart first holds a point, and when the job
 * first shows as completed (the curve must move while the job runs, not only after).
 */
export async function watchCurve(page: Page): Promise<() => Promise<CurveWatch>> {
  await page.evaluate(`(() => {
    const w = { firstPointStatus: null, firstPointAt: null, completedAt: null };
    window.curveWatch = w;
    const look = () => {
      const status = document.querySelector('[data-job-status]')?.getAttribute('data-job-status') ?? null;
      const points = Number(document.querySelector('figure[data-chart-points]')?.getAttribute('data-chart-points') ?? 0);
      if (points > 0 && w.firstPointAt === null) {
        w.firstPointAt = performance.now();
        w.firstPointStatus = status;
      }
      if (status === 'completed' && w.completedAt === null) w.completedAt = performance.now();
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  })()`);
  return async () => CurveWatch.parse(await page.evaluate('window.curveWatch'));
}
