// Test helper for training/tests/test_ts_parity.py: reads {batch, steps, channels, values} JSON on
// stdin, runs the app's own landscape layer (src-main/features/landscape-batch.ts) and prints
// {segments, landscapes} as JSON. Values are float32, [batch, steps, channels] channels fastest.
import { readFileSync } from 'node:fs';
import { landscapeBatch } from '../../src-main/features/landscape-batch.ts';

const input = JSON.parse(readFileSync(0, 'utf8')) as { batch: number; steps: number; channels: number; values: number[] };
const out = landscapeBatch(Float32Array.from(input.values), { batch: input.batch, steps: input.steps, channels: input.channels });
process.stdout.write(JSON.stringify({ segments: out.segments, landscapes: Array.from(out.landscapes) }));
