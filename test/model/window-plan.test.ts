// The one window plan: windows spread over the whole track (not its first seconds), the default
// count, short tracks, too-short tracks; and the short-input rule and standardisation that turn a
// window's log-mel into the network's input exactly as the trainer does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { loopToMinFrames, standardise } from '../../src-main/model/network-input.ts';
import { DEFAULT_WINDOWS, MIN_TRACK_SECONDS, planWindows, TrackTooShortError } from '../../src-main/model/window-plan.ts';
import { PYTHON } from '../helpers/gudhi-ref.ts';

const window = { seconds: 4.32 };

function assertInsideAndDisjoint(plan: { offset: number; duration: number }[], duration: number): void {
  for (const [i, w] of plan.entries()) {
    assert.ok(w.offset >= 0 && w.offset + w.duration <= duration + 1e-9, `window ${i} [${w.offset}, ${w.offset + w.duration}] lies inside [0, ${duration}]`);
    if (i > 0) assert.ok(plan[i - 1]!.offset + plan[i - 1]!.duration <= w.offset + 1e-9, `windows ${i - 1} and ${i} do not overlap`);
  }
}

describe('the window plan', () => {
  it('spreads the default 3 windows over a 4-minute track: start, middle and end, not its first seconds', () => {
    const plan = planWindows(240, window);
    assert.equal(plan.length, DEFAULT_WINDOWS);
    assert.equal(DEFAULT_WINDOWS, 3);
    assert.ok(plan[0]!.offset > 30, `the first window starts at ${plan[0]!.offset} s, not at 0`);
    // Centred in equal thirds: around 40, 120 and 200 s.
    assert.deepEqual(
      plan.map((w) => Math.round(w.offset + w.duration / 2)),
      [40, 120, 200],
    );
    for (const w of plan) assert.equal(w.duration, window.seconds);
    assertInsideAndDisjoint(plan, 240);
  });

  it('gives as many windows as asked, never more than fit side by side', () => {
    assert.equal(planWindows(240, window, { maxWindows: 8 }).length, 8);
    assert.equal(planWindows(240, window, { maxWindows: 1 }).length, 1);
    assert.equal(Math.round(planWindows(240, window, { maxWindows: 1 })[0]!.offset + 2.16), 120, 'one window sits in the middle');
    const tight = planWindows(10, window, { maxWindows: 8 });
    assert.equal(tight.length, 2, 'two 4.32 s windows fit in 10 s');
    assertInsideAndDisjoint(tight, 10);
    const exact = planWindows(12.96, window, { maxWindows: 3 });
    assert.equal(exact.length, 3);
    assertInsideAndDisjoint(exact, 12.96);
    assert.equal(exact[0]!.offset, 0);
  });

  it('gives a track shorter than a window one window holding all of it', () => {
    assert.deepEqual(planWindows(2.5, window), [{ offset: 0, duration: 2.5 }]);
    assert.deepEqual(planWindows(4.32, window), [{ offset: 0, duration: 4.32 }]);
    assert.deepEqual(planWindows(MIN_TRACK_SECONDS, window), [{ offset: 0, duration: MIN_TRACK_SECONDS }]);
  });

  it('refuses a track under 1 s with TrackTooShortError naming the file and both durations', () => {
    assert.throws(
      () => planWindows(0.4, window, { path: '/music/click.wav' }),
      (err: unknown) => err instanceof TrackTooShortError && err.kind === 'unsupported-format' && err.path === '/music/click.wav' && /0\.40 s of audio, Betti needs at least 1 s/.test(err.message),
    );
    assert.throws(() => planWindows(0, window), TrackTooShortError);
  });

  it('refuses nonsense arguments as invalid requests', () => {
    for (const [d, w, max] of [
      [NaN, 4.32, 3],
      [-1, 4.32, 3],
      [10, 0, 3],
      [10, 4.32, 0],
      [10, 4.32, 2.5],
      [10, 4.32, 1000],
    ] as const) {
      assert.throws(() => planWindows(d, { seconds: w }, { maxWindows: max }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request', `${d}, ${w}, ${max}`);
    }
  });
});

describe('the network input', () => {
  it('loops a short log-mel frame by frame up to the minimum (frame i = frame i mod n)', () => {
    const mel = { frames: 3, bands: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const looped = loopToMinFrames(mel, 7);
    assert.equal(looped.frames, 7);
    assert.deepEqual(Array.from(looped.data), [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2]);
    assert.equal(loopToMinFrames(looped, 5), looped, 'long enough: unchanged');
  });

  it('standardises per band bit-for-bit like numpy float32 (x − mean) / std', () => {
    const bands = 4;
    const frames = 50;
    const data = Float32Array.from({ length: frames * bands }, (_, i) => Math.fround(Math.abs(Math.sin(i * 12.9898) * 4.37)));
    const mean = Float32Array.from([0.3, 1.1, 2.7, 0.01]);
    const std = Float32Array.from([0.7, 1.9, 0.33, 3.1]);
    const ours = standardise({ frames, bands, data }, mean, std);
    const code = 'import json,sys,numpy as np\nr=json.load(sys.stdin)\nx=np.array(r["x"],dtype=np.float32).reshape(-1,4)\nm=np.array(r["m"],dtype=np.float32)\ns=np.array(r["s"],dtype=np.float32)\nprint(json.dumps([float(v) for v in ((x-m)/s).astype(np.float32).reshape(-1)]))';
    const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify({ x: Array.from(data), m: Array.from(mean), s: Array.from(std) }), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(Array.from(ours), JSON.parse(r.stdout) as number[]);
  });
});
