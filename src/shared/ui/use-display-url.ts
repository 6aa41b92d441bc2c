import { useEffect, useRef, useState } from 'react';
import { displayBlob } from '../display-image.ts';

/**
 * An object URL of what to show for an image file (see displayBlob) while mounted; revoked afterwards.
 * `format` is the image's format as scored, if known when the file is first shown (its arrival later does
 * not make a new URL: the image would load again).
 */
export function useDisplayUrl(file: Blob | undefined, format?: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const knownFormat = useRef(format);
  useEffect(() => {
    knownFormat.current = format;
  });
  useEffect(() => {
    setUrl(null);
    if (!file) return;
    let live = true;
    let made: string | null = null;
    displayBlob(file, knownFormat.current).then(
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
