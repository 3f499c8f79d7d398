import { useRef, useState, type ChangeEvent, type DragEvent, type Ref } from 'react';
import { READ_IMAGE_TYPES } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { cx } from '../../ui/cx';
import { firstFile } from './read-hooks';

const ACCEPT = READ_IMAGE_TYPES.join(',');

/**
 * Where an image comes from: a drop zone that is also the button opening the file picker (so it
 * works from the keyboard), and on phones a camera button (`capture`). Pasting is handled by the page.
 */
export function ImagePicker({ onFile, disabled, hint, zoneRef }: { readonly onFile: (file: File) => void; readonly disabled: boolean; readonly hint: string; readonly zoneRef?: Ref<HTMLButtonElement> }) {
  const picker = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const picked = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    // Cleared so that choosing the same file again (after "Read another") fires change again.
    e.target.value = '';
    if (file) onFile(file);
  };
  const dragOver = (e: DragEvent<HTMLButtonElement>): void => {
    e.preventDefault();
    e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    setOver(!disabled);
  };
  const drop = (e: DragEvent<HTMLButtonElement>): void => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const file = firstFile(e.dataTransfer.items, e.dataTransfer.files);
    if (file) onFile(file);
  };

  return (
    <div>
      <button
        ref={zoneRef}
        type="button"
        disabled={disabled}
        aria-describedby="read-picker-hint"
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
        {over ? t('read.choose.dropActive') : t('read.choose.drop')}
      </button>
      <p id="read-picker-hint" className="mt-2 text-sm text-slate-700">
        {hint} {t('read.choose.paste')}
      </p>
      <input ref={picker} type="file" accept={ACCEPT} aria-label={t('read.choose.fileInput')} className="hidden" onChange={picked} />
      <input ref={camera} type="file" accept={ACCEPT} capture="environment" aria-label={t('read.choose.camera')} className="hidden" onChange={picked} />
      {/* Only where a camera is the likely input (touch screens); on a desktop `capture` is ignored and it would be a second file picker. */}
      <div className="mt-3 hidden pointer-coarse:block">
        <Button variant="secondary" className="w-full" disabled={disabled} onClick={() => camera.current?.click()}>
          {t('read.choose.camera')}
        </Button>
      </div>
    </div>
  );
}
