// `leaf <command>`: the pipeline that makes the student (teacher -> distill) and uses it (score, eval).
import { Command, CommanderError } from 'commander';
import { UsageError } from './cli-support.ts';
import { distillCommand } from './commands/distill.ts';
import { evalCommand } from './commands/eval.ts';
import { scoreCommand } from './commands/score.ts';
import { teacherExportBatchCommand, teacherImportBatchCommand, teacherMergeCommand } from './commands/teacher-batch.ts';
import { teacherImportCommand } from './commands/teacher-import.ts';
import { teacherLiveCommand } from './commands/teacher-live.ts';
import { teacherLocalCommand } from './commands/teacher-local.ts';

// stdout carries only a command's output (JSON, CSV, scores) so it can be piped: chatter from libraries
// (libheif logs a failed decode with console.log) goes to stderr instead.
console.log = console.error;

function program(): Command {
  const teacher = new Command('teacher').description('run or import an MLLM teacher into the judgment cache');
  teacher.addCommand(teacherImportCommand());
  teacher.addCommand(teacherLiveCommand());
  teacher.addCommand(teacherLocalCommand());
  teacher.addCommand(teacherExportBatchCommand());
  teacher.addCommand(teacherImportBatchCommand());
  teacher.addCommand(teacherMergeCommand());
  return new Command('leaf')
    .description('LEAF: label-efficient image quality assessment — distil, score, evaluate')
    .showHelpAfterError(false)
    .addCommand(teacher)
    .addCommand(distillCommand())
    .addCommand(scoreCommand())
    .addCommand(evalCommand());
}

function exitWith(err: unknown): never {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`leaf: ${message.split('\n')[0]}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
}

const root = program();
const applyExitOverride = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(applyExitOverride);
};
applyExitOverride(root);
root.parseAsync(process.argv).catch(exitWith);
