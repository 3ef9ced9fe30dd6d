#!/usr/bin/env node
// `npm run train`: one command from audio to resources/model/.
//   1. features of every clip by Betti's own signal path (extract-features.ts, cached),
//   2. the PyTorch trainer (training/pcnn, Debian python3-torch): PCNN and FCN x seeds, a table,
//   3. the exporter (training/export.py) -> resources/model/ (quick mode: training/.cache/quick/model
//      unless --out says otherwise, so a smoke run never replaces the shipped model by accident).
// Usage: npm run train -- [--quick] [--seeds 0,1,2] [--epochs N] [--architectures pcnn,fcn]
//                         [--out DIR] [--no-export] [--resume] [--data DIR] [--run NAME]
//                         [--batch N] [--lr X] [--mix P] [--ema D] [--crop N] [--rhythm-lags N]
//                         [--chroma-profiles N] [--chroma-context segment|window] [--chroma-init random|key-profiles]
//                         [--freq-masks N] [--time-masks N] [--weight-decay X] [--feature-dropout P] [--members N]
// --run NAME writes the runs to training/.cache/runs/NAME (default "full", or "quick"), so a new run
// never overwrites an earlier one that a model card still cites.
// --rhythm-lags 0 trains the paper's network (no rhythm branch); the default is PCNN_CONFIG's.
// --chroma-profiles 0 trains it without the chroma branch (the input keeps its chroma columns).
// --resume keeps every finished run (its result.json) of an interrupted `npm run train`.
// --members N: how many seeds of each architecture ship together (the exporter's default: 2).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const training = join(repo, 'training');
// The Debian interpreter: torch and gudhi are Debian packages (python3-torch, python3-gudhi).
const python = process.env.BETTI_PYTHON ?? '/usr/bin/python3';

function usage(message) {
  console.error(`train: ${message}\nUsage: npm run train -- [--quick] [--seeds 0,1,2] [--epochs N] [--architectures pcnn,fcn] [--out DIR] [--no-export] [--resume] [--run NAME] [--batch N] [--lr X] [--mix P] [--ema D] [--crop N] [--rhythm-lags N] [--chroma-profiles N] [--chroma-context segment|window] [--chroma-init random|key-profiles] [--freq-masks N] [--time-masks N] [--weight-decay X] [--feature-dropout P] [--members N]`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seeds: { type: 'string' },
      epochs: { type: 'string' },
      architectures: { type: 'string', default: 'pcnn,fcn' },
      out: { type: 'string' },
      'no-export': { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      data: { type: 'string', default: join(repo, '..', 'shared', 'data') },
      limit: { type: 'string' },
      run: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      mix: { type: 'string' },
      ema: { type: 'string' },
      crop: { type: 'string' },
      'rhythm-lags': { type: 'string' },
      'chroma-profiles': { type: 'string' },
      'chroma-context': { type: 'string' },
      'chroma-init': { type: 'string' },
      'freq-masks': { type: 'string' },
      'time-masks': { type: 'string' },
      'weight-decay': { type: 'string' },
      'feature-dropout': { type: 'string' },
      members: { type: 'string' },
    },
  }));
} catch (err) {
  usage(err.message);
}
if (values.seeds !== undefined && !/^\d+(,\d+)*$/.test(values.seeds)) usage(`--seeds must look like 0,1,2 (got "${values.seeds}")`);
if (values.epochs !== undefined && !/^[1-9]\d*$/.test(values.epochs)) usage(`--epochs must be a positive integer (got "${values.epochs}")`);
if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) usage(`--limit must be a positive integer (got "${values.limit}")`);
if (values.run !== undefined && !/^[\w.-]+$/.test(values.run)) usage(`--run must be a plain folder name (got "${values.run}")`);
if (values.batch !== undefined && !/^[1-9]\d*$/.test(values.batch)) usage(`--batch must be a positive integer (got "${values.batch}")`);
if (values.lr !== undefined && !(Number(values.lr) > 0)) usage(`--lr must be a positive number (got "${values.lr}")`);
if (values.mix !== undefined && !(Number(values.mix) >= 0 && Number(values.mix) <= 1)) usage(`--mix must be a probability in [0, 1] (got "${values.mix}")`);
if (values.ema !== undefined && !(Number(values.ema) >= 0 && Number(values.ema) < 1)) usage(`--ema must be a decay in [0, 1), 0 for off (got "${values.ema}")`);
if (values.crop !== undefined && !/^[1-9]$/.test(values.crop)) usage(`--crop must be a number of segments from 1 to 9 (got "${values.crop}")`);
if (values['rhythm-lags'] !== undefined && !/^\d+$/.test(values['rhythm-lags'])) usage(`--rhythm-lags must be a whole number, 0 for the paper's network (got "${values['rhythm-lags']}")`);
if (values['chroma-context'] !== undefined && !['segment', 'window'].includes(values['chroma-context'])) usage(`--chroma-context must be segment or window (got "${values['chroma-context']}")`);
if (values['chroma-init'] !== undefined && !['random', 'key-profiles'].includes(values['chroma-init'])) usage(`--chroma-init must be random or key-profiles (got "${values['chroma-init']}")`);
if (values['chroma-profiles'] !== undefined && !/^\d+$/.test(values['chroma-profiles'])) usage(`--chroma-profiles must be a whole number, 0 for a network without the chroma branch (got "${values['chroma-profiles']}")`);
for (const name of ['freq-masks', 'time-masks']) {
  if (values[name] !== undefined && !/^\d$/.test(values[name])) usage(`--${name} must be a number of masks per training crop from 0 to 9 (got "${values[name]}")`);
}
if (values['weight-decay'] !== undefined && !(Number(values['weight-decay']) >= 0)) usage(`--weight-decay must be a number >= 0 (got "${values['weight-decay']}")`);
if (values['feature-dropout'] !== undefined && !(Number(values['feature-dropout']) >= 0 && Number(values['feature-dropout']) < 1)) usage(`--feature-dropout must be a probability in [0, 1) (got "${values['feature-dropout']}")`);
if (values.members !== undefined && !/^[1-9]\d*$/.test(values.members)) usage(`--members must be a positive integer (got "${values.members}")`);
if (!/^(pcnn|fcn)(,(pcnn|fcn))*$/.test(values.architectures)) usage(`--architectures takes pcnn and/or fcn (got "${values.architectures}")`);

const quick = values.quick;
const seeds = values.seeds ?? (quick ? '0' : '0,1,2');
const limit = values.limit ?? (quick ? '32' : undefined);
const runDir = join(training, '.cache', 'runs', values.run ?? (quick ? 'quick' : 'full'));
const out = resolve(values.out ?? (quick ? join(training, '.cache', 'quick', 'model') : join(repo, 'resources', 'model')));

function run(cmd, args, opts = {}) {
  return new Promise((res, rej) => {
    const chunks = [];
    const child = spawn(cmd, args, { cwd: opts.cwd ?? repo, stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', 'inherit'] });
    if (opts.capture) child.stdout.on('data', (c) => { chunks.push(c); process.stdout.write(c); });
    child.on('error', (err) => rej(new Error(`could not start ${cmd}: ${err.message}`)));
    child.on('exit', (code, signal) => (code === 0 ? res(Buffer.concat(chunks).toString('utf8')) : rej(new Error(`${cmd} ${args[0] ?? ''} failed (${signal ?? `exit ${code}`})`))));
  });
}

const started = Date.now();
try {
  const extractArgs = ['--disable-warning=ExperimentalWarning', join(training, 'extract-features.ts'), '--data', values.data];
  if (limit) extractArgs.push('--limit', limit);
  const extracted = await run(process.execPath, extractArgs, { capture: true });
  const features = extracted.trim().split('\n').at(-1);
  const trainArgs = ['-m', 'pcnn.main', '--features', features, '--out', runDir, '--data', values.data, '--seeds', seeds, '--architectures', values.architectures];
  if (quick) trainArgs.push('--quick');
  if (values.resume) trainArgs.push('--resume');
  if (values.epochs) trainArgs.push('--epochs', values.epochs);
  for (const name of ['batch', 'lr', 'mix', 'ema']) if (values[name] !== undefined) trainArgs.push(`--${name}`, values[name]);
  if (values.crop !== undefined) trainArgs.push('--crop-segments', values.crop);
  if (values['rhythm-lags'] !== undefined) trainArgs.push('--rhythm-lags', values['rhythm-lags']);
  if (values['chroma-profiles'] !== undefined) trainArgs.push('--chroma-profiles', values['chroma-profiles']);
  if (values['chroma-context'] !== undefined) trainArgs.push('--chroma-context', values['chroma-context']);
  if (values['chroma-init'] !== undefined) trainArgs.push('--chroma-init', values['chroma-init']);
  for (const name of ['freq-masks', 'time-masks', 'weight-decay', 'feature-dropout']) if (values[name] !== undefined) trainArgs.push(`--${name}`, values[name]);
  await run(python, trainArgs, { cwd: training });
  if (!values['no-export']) {
    const exportArgs = [join(training, 'export.py'), '--run', runDir, '--features', features, '--data', values.data, '--out', out];
    if (values.members !== undefined) exportArgs.push('--members', values.members);
    await run(python, exportArgs);
  }
  console.log(`train: done in ${((Date.now() - started) / 60000).toFixed(1)} min; runs in ${runDir}${values['no-export'] ? '' : `, model in ${out}`}`);
} catch (err) {
  console.error(`train: ${err.message}`);
  process.exit(1);
}
