// Every way a local model folder can be unusable, each with its own code, so the CLI and tests can tell
// them apart and the message can say what to fix.

export type LocalModelErrorCode =
  | 'missing-folder'
  | 'missing-file'
  | 'bad-config'
  | 'wrong-kind'
  | 'load-failed'
  | 'missing-input'
  | 'missing-output'
  | 'input-size'
  | 'no-level-words'
  | 'unknown-prompt-words'
  | 'no-image-tokens'
  | 'bad-output'
  | 'bad-image';

export class LocalModelError extends Error {
  override readonly name = 'LocalModelError';
  constructor(
    readonly code: LocalModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
