// Test helper for training/tests/test_ts_parity.py: reads {batch, frames, channels, segments,
// segmentFrames, lags, values} JSON on stdin, runs the app's own rhythm branch
// (src-main/model/rhythm.ts) and prints the autocorrelations as a JSON array. Values are float32,
// [batch, frames, channels] channels fastest (tfjs's conv1d output).
import { readFileSync } from 'node:fs';
import { segmentAutocorrelation } from '../../src-main/model/rhythm.ts';

const i = JSON.parse(readFileSync(0, 'utf8')) as { batch: number; frames: number; channels: number; segments: number; segmentFrames: number; lags: number; values: number[] };
const out = segmentAutocorrelation(Float32Array.from(i.values), { batch: i.batch, frames: i.frames, channels: i.channels }, { segments: i.segments, segmentFrames: i.segmentFrames, lags: i.lags });
process.stdout.write(JSON.stringify(Array.from(out)));
