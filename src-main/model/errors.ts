// Errors of the model folder: a shipped model that cannot be used says which file is wrong and
// how, and a model made for other features or another layer graph names both versions.
import { BettiError } from '../api/errors.ts';

const REINSTALL_HINT = 'Reinstall Betti, or run `npm run train` to export resources/model/ again.';

/** A model file is missing, unreadable, not the expected format, or holds a weight of the wrong shape. */
export class ModelInvalidError extends BettiError {
  declare readonly kind: 'model-invalid';
  /** What inside the file is wrong (a field or a weight name), when one thing is. */
  readonly where: string | undefined;
  constructor(path: string, problem: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    const where = opts.where === undefined ? '' : ` (${opts.where})`;
    super('model-invalid', `model file ${path}${where}: ${problem}`, { path, hint: opts.hint ?? REINSTALL_HINT, cause: opts.cause });
    this.name = 'ModelInvalidError';
    this.where = opts.where;
  }
}

/** The model was made for a different feature spec, layer graph or file format than this Betti runs. */
export class ModelVersionMismatch extends BettiError {
  declare readonly kind: 'version-mismatch';
  readonly what: string;
  readonly model: string;
  readonly code: string;
  constructor(path: string, what: 'features' | 'layers' | 'format', model: string, code: string) {
    const says = {
      features: `was trained for features ${model}, this Betti computes ${code}`,
      layers: `was trained for the layer graph ${model}, this Betti implements ${code}`,
      format: `is in model file format ${model}, this Betti reads format ${code}`,
    }[what];
    super('version-mismatch', `model ${path} ${says}`, {
      path,
      hint: 'Use the model shipped with this Betti version, or retrain it with `npm run train` so the versions agree.',
    });
    this.name = 'ModelVersionMismatch';
    this.what = what;
    this.model = model;
    this.code = code;
  }
}

/** A tfjs backend that was asked for by name cannot run here. */
export class BackendUnavailableError extends BettiError {
  constructor(backend: string, reason: string, hint: string) {
    super('unsupported-format', `the ${backend} tfjs backend is not available: ${reason}`, { hint });
    this.name = 'BackendUnavailableError';
  }
}
