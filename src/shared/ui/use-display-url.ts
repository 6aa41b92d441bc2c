import { useEffect, useState } from 'react';
import { displayBlob } from '../display-image.ts';

/** An object URL of what to show for an image file (see displayBlob) while mounted; revoked afterwards. */
export function useDisplayUrl(file: Blob | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    setUrl(null);
    if (!file) return;
    let live = true;
    let made: string | null = null;
    displayBlob(file).then(
      (blob) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      // Nothing to show (a RAW file without a preview): the score panel already says why.
      () => live && setUrl(null),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [file]);
  return url;
}
