// `leaf teacher import <files...> [--dataset NAME] [--cache DIR]`: reads recorded teacher outputs in the
// Q-Align logit format (any number of files, one teacher each) into the judgment cache.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parseRecordedTeacher } from '../../core/teacher/recorded.ts';
import { DEFAULT_CACHE_DIR } from '../../node/teacher/judgment-cache.ts';
import { saveRecordedTeacher } from '../../node/teacher/recorded-store.ts';
import { UsageError } from '../cli-support.ts';

export function teacherImportCommand(): Command {
  return new Command('import')
    .description('import recorded teacher outputs (Q-Align logit JSON: [{filename, logits: {" excellent": ..}}]) into the cache')
    .argument('<files...>', 'one JSON file per teacher; the teacher id is the file name without .json')
    .option('--dataset <name>', 'dataset the judgments belong to (default: the folder above teacher/)')
    .option('--cache <dir>', 'judgment cache folder', DEFAULT_CACHE_DIR)
    .action((files: string[], flags: { dataset?: string; cache: string }) => {
      for (const file of files) {
        let json: unknown;
        try {
          json = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          throw new UsageError(e.code === 'ENOENT' ? `no such file: ${file}` : `${file} is not valid JSON (${e.message})`);
        }
        const teacher = path.basename(file).replace(/\.json$/i, '');
        let parsed;
        try {
          parsed = parseRecordedTeacher(teacher, json);
        } catch (err) {
          throw new UsageError(`${file}: ${(err as Error).message}`);
        }
        if (parsed.judgments.length === 0) throw new UsageError(`${file}: no usable judgments (${parsed.rejected[0]?.reason ?? 'empty array'})`);
        const dataset = flags.dataset ?? path.basename(path.dirname(path.dirname(path.resolve(file))));
        const out = saveRecordedTeacher(flags.cache, { teacher, source: path.resolve(file), dataset, judgments: parsed.judgments });
        process.stderr.write(`${teacher}: ${parsed.judgments.length} judgments (${parsed.rejected.length} rejected) -> ${out}\n`);
        for (const r of parsed.rejected.slice(0, 3)) process.stderr.write(`  rejected entry ${r.index}: ${r.reason}\n`);
      }
    });
}
