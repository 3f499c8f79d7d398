import { useRef, type ChangeEvent, type Ref } from 'react';
import { READ_IMAGE_TYPES } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { DropZone } from '../../ui/drop-zone';

const ACCEPT = READ_IMAGE_TYPES.join(',');

/**
 * Where an image comes from: the drop zone (also the button opening the file picker), and on
 * phones a camera button (`capture`). Pasting is handled by the page.
 */
export function ImagePicker({ onFile, disabled, hint, zoneRef }: { readonly onFile: (file: File) => void; readonly disabled: boolean; readonly hint: string; readonly zoneRef?: Ref<HTMLButtonElement> }) {
  const camera = useRef<HTMLInputElement>(null);

  const photographed = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) onFile(file);
  };
  // A drag from another page may carry several things; an image is the one meant.
  const chosen = (files: readonly File[]): void => {
    const file = files.find((f) => f.type.startsWith('image/')) ?? files[0];
    if (file) onFile(file);
  };

  return (
    <div>
      <DropZone
        onFiles={chosen}
        accept={ACCEPT}
        disabled={disabled}
        label={t('read.choose.drop')}
        activeLabel={t('read.choose.dropActive')}
        inputLabel={t('read.choose.fileInput')}
        describedBy="read-picker-hint"
        {...(zoneRef ? { zoneRef } : {})}
      />
      <p id="read-picker-hint" className="mt-2 text-sm text-slate-700">
        {hint} {t('read.choose.paste')}
      </p>
      <input ref={camera} type="file" accept={ACCEPT} capture="environment" aria-label={t('read.choose.camera')} className="hidden" onChange={photographed} />
      {/* Only where a camera is the likely input (touch screens); on a desktop `capture` is ignored and it would be a second file picker. */}
      <div className="mt-3 hidden pointer-coarse:block">
        <Button variant="secondary" className="w-full" disabled={disabled} onClick={() => camera.current?.click()}>
          {t('read.choose.camera')}
        </Button>
      </div>
    </div>
  );
}
