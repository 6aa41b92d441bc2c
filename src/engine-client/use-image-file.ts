import { fileOf } from './scoring-service.ts';
import { useLeaf } from '../store/store.ts';

/**
 * The File behind an image. A reopened folder's images show before their files are read: until an image's
 * file is in, this is undefined, and the component renders again as the reads go on.
 */
export function useImageFile(id: string | null | undefined): File | undefined {
  useLeaf((s) => s.filesUnread);
  return id ? fileOf(id) : undefined;
}
