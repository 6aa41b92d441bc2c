// The score store's database layout, shared by the inference worker (which reads and writes scores) and the
// page (which reads stored thumbnails of the cards it shows). Either may open it first and create it.
import { databaseOpener } from './indexed-db.ts';

/**
 * results: the shown result of a file, keyed by model, mode and the file's identity (scoreRecordKey): a
 *   folder's records lie side by side, so a reopen reads them by key range, a few requests per 200 files;
 *   indexed by model, mode and content (`resultKey`) for a copied or renamed file.
 * thumbs: each content's thumbnail, apart from the results, read only for the cards on screen (reading
 *   5,000 thumbnails with their results cost more than the rest of a reopen).
 * features: the vector calibration fits on (18.5 KB), by model, mode and content; read only to calibrate.
 * identities: a file's identity -> its content key (a file scored in the other mode is not hashed again).
 * folders: per model, mode and top folder, its records as one value (a reopen reads one value instead of a
 *   range of thousands); deleted whenever a record under the folder is written, and written again by the
 *   next reopen that reads the range.
 */
export const SCORE_STORES = ['results', 'thumbs', 'features', 'identities', 'folders'] as const;
export const BY_CONTENT = 'by-content';

/**
 * 6: folders added. 5: results keyed by path, size and date, thumbnails apart (older layouts keyed results
 * by content with the thumbnail inside, or by name, size and date).
 */
const VERSION = 6;

export const openScoreDb = databaseOpener('leaf-scores', VERSION, (db, oldVersion) => {
  if (oldVersion === 5) return void db.createObjectStore('folders');
  // Scores of an older layout are simply scored again.
  for (const name of [...db.objectStoreNames]) db.deleteObjectStore(name);
  for (const name of SCORE_STORES) {
    const store = db.createObjectStore(name);
    if (name === 'results') store.createIndex(BY_CONTENT, 'resultKey');
  }
});
