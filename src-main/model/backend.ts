// Which tfjs backend runs the network (DESIGN.md "Around the network"): the native tfjs-node when
// it is installed (an optionalDependency, present on users' machines when it built), else the
// wasm backend, else the pure-JS cpu one; the result says which, and why better ones were passed
// over. The backend is a process-wide tfjs setting; every model loaded in one process shares it.
import { BettiError } from '../api/errors.ts';
import { BackendUnavailableError } from './errors.ts';
import { wasmDir } from './install-paths.ts';

export const backends = ['tfjs-node', 'wasm', 'cpu'] as const;
export type Backend = (typeof backends)[number];

/** tfjs's own name of each backend. */
export const TFJS_NAME: Record<Backend, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/** The part of the tfjs namespace the choice needs (the real `@tensorflow/tfjs`, or a fake in tests). */
export interface TfBackendApi {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
}

/** Loads a module by name; `(s) => import(s)` in the app, a fake in tests. */
export type Importer = (specifier: string) => Promise<unknown>;

export interface BackendChoice {
  readonly backend: Backend;
  /** Better backends that were tried and why each could not be used (empty when the first worked). */
  readonly passedOver: readonly { readonly backend: Backend; readonly reason: string }[];
}

export interface ChooseBackendOptions {
  /** Use exactly this backend (an error when it cannot run); default: the best one present. */
  readonly requested?: Backend;
  readonly importer?: Importer;
  /** Where the .wasm binaries are (default: wasmDir()). */
  readonly wasmDir?: string;
}

const HINTS: Record<Backend, string> = {
  'tfjs-node': 'Install it with `npm i @tensorflow/tfjs-node` (it needs a prebuilt binary for this platform), or leave the backend unset to use wasm.',
  wasm: `Check that the .wasm files of @tensorflow/tfjs-backend-wasm are present (looked in the folder wasmDir() names), or leave the backend unset to use cpu.`,
  cpu: 'The cpu backend ships with @tensorflow/tfjs; reinstall Betti.',
};

/** BETTI_TFJS_BACKEND, validated: a backend name, or undefined for "the best one present". */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): Backend | undefined {
  const value = env.BETTI_TFJS_BACKEND;
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if ((backends as readonly string[]).includes(value)) return value as Backend;
  throw new BettiError('invalid-request', `BETTI_TFJS_BACKEND=${value} is not a tfjs backend`, { hint: `Set it to one of: auto, ${backends.join(', ')}.` });
}

// Modules are imported and the wasm path set once per process (setWasmPaths refuses a second
// call after the backend started), whatever tfjs instance asks.
const prepared = new Map<Backend, Promise<void>>();

async function prepare(backend: Backend, importer: Importer, dir: string | undefined): Promise<void> {
  if (backend === 'tfjs-node') {
    await importer('@tensorflow/tfjs-node');
  } else if (backend === 'wasm') {
    const wasm = (await importer('@tensorflow/tfjs-backend-wasm')) as { setWasmPaths?: (prefix: string) => void };
    if (typeof wasm.setWasmPaths !== 'function') throw new Error('the module has no setWasmPaths');
    wasm.setWasmPaths(dir ?? wasmDir());
  }
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'the package is not installed';
  return err instanceof Error ? err.message : String(err);
}

async function tryBackend(tf: TfBackendApi, backend: Backend, importer: Importer, dir: string | undefined, cache: boolean): Promise<string | undefined> {
  try {
    let ready = cache ? prepared.get(backend) : undefined;
    if (!ready) {
      ready = prepare(backend, importer, dir);
      if (cache) prepared.set(backend, ready);
      // A failed import stays failed for this process; retrying would only repeat the warning.
    }
    await ready;
  } catch (err) {
    return reasonOf(err);
  }
  const name = TFJS_NAME[backend];
  try {
    // Throws "not found in registry" when the package loaded against another copy of tfjs-core.
    if (tf.getBackend() === name) return undefined;
    if (await tf.setBackend(name)) return undefined;
    return 'the backend failed to initialise';
  } catch (err) {
    return reasonOf(err);
  }
}

/**
 * Sets tfjs to the requested backend, or to the best one that works (tfjs-node → wasm → cpu).
 * `importer` is injected in tests; the default uses a real dynamic import and caches per process.
 */
export async function chooseBackend(tf: TfBackendApi, opts: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const importer = opts.importer ?? ((s: string) => import(s) as Promise<unknown>);
  const cache = opts.importer === undefined;
  if (opts.requested) {
    const reason = await tryBackend(tf, opts.requested, importer, opts.wasmDir, cache);
    if (reason !== undefined) throw new BackendUnavailableError(opts.requested, reason, HINTS[opts.requested]);
    return { backend: opts.requested, passedOver: [] };
  }
  const passedOver: { backend: Backend; reason: string }[] = [];
  for (const backend of backends) {
    const reason = await tryBackend(tf, backend, importer, opts.wasmDir, cache);
    if (reason === undefined) return { backend, passedOver };
    passedOver.push({ backend, reason });
  }
  throw new BackendUnavailableError('cpu', passedOver.map((p) => `${p.backend}: ${p.reason}`).join('; '), HINTS.cpu);
}

/** One line for a person: "wasm (tfjs-node: the package is not installed)". */
export function describeBackend(choice: BackendChoice): string {
  if (choice.passedOver.length === 0) return choice.backend;
  return `${choice.backend} (${choice.passedOver.map((p) => `${p.backend}: ${p.reason}`).join('; ')})`;
}
