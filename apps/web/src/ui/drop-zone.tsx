import { useRef, useState, type DragEvent, type Ref } from 'react';
import { cx } from './cx';

interface DropZoneProps {
  /** Every file dropped or picked (one at most unless `multiple`); never called with none. */
  readonly onFiles: (files: File[]) => void;
  readonly accept: string;
  readonly multiple?: boolean;
  readonly disabled: boolean;
  /** The zone's words, which are also its accessible name ("Drop an image here, or choose a file"). */
  readonly label: string;
  /** What the zone says while something is dragged over it. */
  readonly activeLabel: string;
  /** The hidden file input's name (tests and assistive tech that reach the input itself). */
  readonly inputLabel: string;
  /** The id of the hint below the zone (types, limits). */
  readonly describedBy?: string;
  readonly zoneRef?: Ref<HTMLButtonElement>;
}

/** The files of a drop: file items first (a drag from another page also carries text), else the list. */
function droppedFiles(data: DataTransfer): File[] {
  const items = Array.from(data.items).flatMap((i) => (i.kind === 'file' ? [i.getAsFile()] : [])).filter((f): f is File => f !== null);
  return items.length > 0 ? items : Array.from(data.files);
}

/**
 * A drop target that is also the button opening the file picker, so choosing files works from the
 * keyboard and a screen reader as well as by dragging. Used by the reader and the batch page.
 */
export function DropZone({ onFiles, accept, multiple = false, disabled, label, activeLabel, inputLabel, describedBy, zoneRef }: DropZoneProps) {
  const picker = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const dragOver = (e: DragEvent<HTMLButtonElement>): void => {
    e.preventDefault();
    e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    setOver(!disabled);
  };
  const drop = (e: DragEvent<HTMLButtonElement>): void => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = droppedFiles(e.dataTransfer);
    if (files.length > 0) onFiles(multiple ? files : files.slice(0, 1));
  };

  return (
    <>
      <button
        ref={zoneRef}
        type="button"
        disabled={disabled}
        aria-describedby={describedBy}
        onClick={() => picker.current?.click()}
        onDragOver={dragOver}
        onDragEnter={dragOver}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={cx(
          'flex min-h-40 w-full flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-6 text-center text-lg font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:cursor-not-allowed',
          over ? 'border-blue-700 bg-blue-50 text-blue-900' : 'border-slate-400 bg-slate-50 text-slate-900 hover:border-blue-700 hover:bg-blue-50',
        )}
      >
        <span aria-hidden="true" className="text-3xl">
          ⬆
        </span>
        {over ? activeLabel : label}
      </button>
      <input
        ref={picker}
        type="file"
        accept={accept}
        multiple={multiple}
        aria-label={inputLabel}
        className="hidden"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          // Cleared so that choosing the same file again (after "Read another", or a fix) fires change again.
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
