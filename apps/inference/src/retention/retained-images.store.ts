import type { Db } from '@inkwell/db';

export interface RetainedImage {
  readonly requestId: string;
  readonly route: string;
  readonly outcome: string;
  readonly digit: number | null;
  readonly confidence: number | null;
  readonly modelId: string | null;
  readonly sha256: string;
  readonly image: Buffer;
}

/** All SQL for retained uploads. */
export class RetainedImagesStore {
  constructor(private readonly db: Db) {}

  async add(img: RetainedImage): Promise<void> {
    await this.db('retained_images').insert({
      request_id: img.requestId,
      route: img.route,
      outcome: img.outcome,
      digit: img.digit,
      confidence: img.confidence,
      model_id: img.modelId,
      sha256: img.sha256,
      size_bytes: img.image.length,
      image: img.image,
    });
  }

  /** Deletes images stored more than `days` days ago; returns how many. */
  async purgeOlderThan(days: number): Promise<number> {
    return this.db('retained_images')
      .where('created_at', '<', this.db.raw("now() - make_interval(days => ?)", [days]))
      .delete();
  }
}
