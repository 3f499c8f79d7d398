import type { ModelManifest, ServingEngine } from '@inkwell/contracts';
import type { ExecutionProvider } from '../engine/worker-protocol';

/** A member's graph file as it was loaded: what `GET /v1/models/{model_id}/model.onnx` serves. */
export interface ModelFile {
  readonly path: string;
  readonly bytes: number;
  /** Hex SHA-256 of the bytes loaded, computed once per set (the download's ETag). */
  readonly sha256: string;
}

/** One loaded, warmed ensemble: what every worker holds under `id`. */
export interface ModelSet {
  readonly id: number;
  /** The single model's id, or `ensemble_<N>_models`. */
  readonly modelId: string;
  readonly manifests: readonly ModelManifest[];
  /** `files[i]` is `manifests[i]`'s graph. */
  readonly files: readonly ModelFile[];
  readonly providers: readonly ExecutionProvider[];
  /** What answers reads on this set: engine, file variant and intra-op threads (a benchmark's apply, or the configured defaults). */
  readonly engine: ServingEngine;
  readonly loadedAt: Date;
}

export interface Lease {
  readonly set: ModelSet;
  release(): void;
}

interface Entry {
  readonly set: ModelSet;
  refs: number;
  retired: boolean;
}

export const ensembleId = (manifests: readonly ModelManifest[]): string => {
  const only = manifests[0];
  return manifests.length === 1 && only ? only.model_id : `ensemble_${manifests.length}_models`;
};

/**
 * The set new batches run on, swapped atomically. A batch leases the set it started on, so a swap
 * never pulls sessions from under a running batch: the old set is handed to `onDrained` (which
 * releases its sessions) only when its last lease ends.
 */
export class ActiveSet {
  private current: Entry | null = null;

  constructor(
    private readonly onDrained: (set: ModelSet) => void,
    /** Told of every swap (inference audits model swaps). */
    private readonly onSwapped: (next: ModelSet, previous: ModelSet | null) => void = () => undefined,
  ) {}

  get set(): ModelSet | null {
    return this.current?.set ?? null;
  }

  acquire(): Lease | null {
    const entry = this.current;
    if (!entry) return null;
    entry.refs++;
    let released = false;
    return {
      set: entry.set,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.retired && entry.refs === 0) this.onDrained(entry.set);
      },
    };
  }

  swap(next: ModelSet): void {
    const prev = this.current;
    this.current = { set: next, refs: 0, retired: false };
    this.onSwapped(next, prev?.set ?? null);
    if (!prev) return;
    prev.retired = true;
    if (prev.refs === 0) this.onDrained(prev.set);
  }
}
