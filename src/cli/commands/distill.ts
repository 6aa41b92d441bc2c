// `leaf distill`: trains the student's heads from the teachers and writes models/<name>/.
import path from 'node:path';
import { Command, Option } from 'commander';
import { SCORE_MODES, type ScoreMode } from '../../core/model/score-mode.ts';
import { SHARED_DATA, type DatasetId } from '../../node/datasets.ts';
import { distill } from '../../node/distill/distill.ts';
import { DEFAULT_FINE_TUNE_LR, DEFAULT_FINE_TUNE_STEPS } from '../../node/distill/fine-tune-stage.ts';
import { DEFAULT_DETAIL_PAIRS, DEFAULT_SYNTHETIC_LIMIT } from '../../node/distill/training-set.ts';
import { REPO_ROOT } from '../../node/model-dir.ts';
import { DEFAULT_CACHE_DIR } from '../../node/teacher/judgment-cache.ts';
import { stagedProgress } from '../../node/progress.ts';
import { listOf, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from '../cli-support.ts';

const DATASETS: readonly DatasetId[] = ['agiqa3k', 'biq2021'];

interface DistillFlags {
  name: string;
  out?: string;
  data: string;
  datasets: DatasetId[];
  modes: ScoreMode[];
  teacherCache: string;
  featureCache: string;
  classical: boolean;
  synthetic: boolean;
  syntheticWeight: number;
  syntheticLimit: number;
  detailPairs: number;
  detailPairWeight: number;
  crossResolutionWeight: number;
  syntheticModes: ScoreMode[];
  l2: number;
  steps: number;
  fineTuneSteps: number;
  fineTuneLr: number;
  pairs: number;
  pairWeight: number;
  reliability: boolean;
  seed: number;
}

export function distillCommand(): Command {
  return new Command('distill')
    .description('joint distillation: train the student head from teacher judgments and write models/<name>/')
    .option('--name <name>', 'model name (folder under models/)', 'leaf-mnv2-140')
    .option('--out <dir>', 'model folder (default models/<name>)')
    .option('--data <dir>', 'data root holding <dataset>/images, labels.csv and teacher/', SHARED_DATA)
    .addOption(new Option('--datasets <list>', 'datasets to distil on').default(['agiqa3k', 'biq2021']).argParser(listOf(DATASETS, 'datasets')))
    .addOption(new Option('--modes <list>', 'heads to train').default(['fast', 'accurate']).argParser(listOf(SCORE_MODES, 'modes')))
    .option('--teacher-cache <dir>', 'judgment cache (leaf teacher import/live write here)', DEFAULT_CACHE_DIR)
    .option('--feature-cache <dir>', 'backbone feature cache (resumable; one folder per backbone and tap list)', '.cache/features')
    .option('--classical', 'add rankings from the classical BRISQUE/NIQE teachers where no MLLM judged the images (off: they lowered BIQ2021 SRCC in bench:accuracy)')
    .option('--no-synthetic', 'no synthetic-degradation pairs (photo > its mild > its strong degraded copy: blur, defocus, motion, shadow noise, JPEG/WebP, exposure, contrast, colour cast) where no MLLM judged the images')
    .option('--synthetic-weight <x>', 'weight of each synthetic-degradation pair', positiveNumber, 1)
    .option('--synthetic-limit <n>', 'photos per dataset that get degraded copies (a mild and a strong one), the first n training photos by name', positiveInt, DEFAULT_SYNTHETIC_LIMIT)
    .option('--detail-pairs <n>', 'photos per dataset (of those with degraded copies) that also get full-resolution pairs for the Detail head: enlarged 2.5x, clean > mild shadow noise and clean > mild blur seen through its 1:1 patches; they fit the weight of the unseen-noise measure (0 = none: the measure is not used)', nonNegativeInt, DEFAULT_DETAIL_PAIRS)
    .option('--detail-pair-weight <x>', 'weight of each full-resolution pair in the Detail head\'s own training (0 = they fit the unseen-noise weight only)', nonNegativeNumber, 0)
    .addOption(
      new Option('--synthetic-modes <list>', 'heads that get synthetic pairs (each mode extracts features of the degraded copies)')
        .default(['fast', 'accurate'])
        .argParser(listOf(SCORE_MODES, 'synthetic-modes')),
    )
    .option('--cross-resolution-weight <x>', 'weight of the accurate head\'s judgments as point targets for the fast head on photos no MLLM judged (0 = off)', nonNegativeNumber, 1)
    .option('--l2 <x>', 'ridge penalty on head weights (3: best BIQ2021 validation SRCC at equal AGIQA-3K in bench:accuracy)', positiveNumber, 3)
    .option('--steps <n>', 'optimiser steps', positiveInt, 300)
    .option('--fine-tune-steps <n>', 'steps of backbone fine-tuning through its top blocks (0 = frozen ImageNet backbone)', nonNegativeInt, DEFAULT_FINE_TUNE_STEPS)
    .option('--fine-tune-lr <x>', 'learning rate of the backbone top during fine-tuning', positiveNumber, DEFAULT_FINE_TUNE_LR)
    .option('--pairs <n>', 'derived teacher pairs per training image (0 = point-wise only)', nonNegativeInt, 20)
    .option('--pair-weight <x>', 'weight of the pair-wise ranking loss', positiveNumber, 1)
    .option('--no-reliability', 'weight every teacher judgment equally')
    .option('--seed <n>', 'seed for pair sampling and training', nonNegativeInt, 1)
    .action(async (flags: DistillFlags) => {
      const progress = stagedProgress();
      const manifest = await distill({
        name: flags.name,
        outDir: flags.out ?? path.join(REPO_ROOT, 'models', flags.name),
        dataRoot: flags.data,
        datasets: flags.datasets,
        modes: flags.modes,
        teacherCache: flags.teacherCache,
        featureCache: flags.featureCache,
        classical: flags.classical ?? false,
        synthetic: flags.synthetic,
        syntheticWeight: flags.syntheticWeight,
        syntheticLimit: flags.syntheticLimit,
        detailPairLimit: flags.detailPairs,
        detailPairWeight: flags.detailPairWeight,
        crossResolutionWeight: flags.crossResolutionWeight,
        syntheticModes: flags.syntheticModes,
        l2: flags.l2,
        steps: flags.steps,
        fineTuneSteps: flags.fineTuneSteps,
        fineTuneLearningRate: flags.fineTuneLr,
        pairsPerImage: flags.pairs,
        pairWeight: flags.pairWeight,
        useReliability: flags.reliability,
        seed: flags.seed,
        log: (line) => {
          progress.stop();
          process.stderr.write(`${line}\n`);
        },
        onProgress: progress.report,
      });
      progress.stop();
      process.stderr.write(`wrote ${manifest.name} ${manifest.version}\n`);
    });
}
