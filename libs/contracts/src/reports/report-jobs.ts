import { z } from 'zod';

/** `report` / `report.render`: fetch a report's inputs from the trainer and render all its files. */
export const ReportRenderPayload = z.object({ report_id: z.uuid() });
export type ReportRenderPayload = z.infer<typeof ReportRenderPayload>;

export const ReportRenderResult = z.object({ report_id: z.uuid(), status: z.enum(['ready', 'failed']), files: z.int().nonnegative() });
export type ReportRenderResult = z.infer<typeof ReportRenderResult>;
