import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { landscapes, samplePoints } from '../../src-main/features/landscape.ts';
import { NonFiniteValueError, persistence0, type PersistencePair } from '../../src-main/features/persistence.ts';
import { PCNN_CONFIG, landscapeSize } from '../../src-main/model/config.ts';
import { mixedSequences, seededRandom, smallIntegers } from '../helpers/sequences.ts';

const pair = (birth: number, death: number, birthIndex: number, deathIndex: number): PersistencePair => ({ birth, death, birthIndex, deathIndex });

/** Vertex a comes before b in the filtration (the header's rule 1). */
const before = (x: readonly number[], a: number, b: number): boolean => x[a] > x[b] || (x[a] === x[b] && a < b);

/**
 * The diagram straight from the definitions, O(n²) and without union-find: vertex i is a birth
 * when it is a local peak by rule 1; it dies at the first vertex (in filtration order) whose
 * arrival puts i's run of present vertices in contact with a vertex before i.
 */
function bruteForceDiagram(x: readonly number[]): PersistencePair[] {
  const n = x.length;
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (before(x, a, b) ? -1 : 1));
  const pairs: PersistencePair[] = [pair(x[order[0]], x[order[n - 1]], order[0], order[n - 1])];
  for (let i = 0; i < n; i++) {
    const isPeak = (i === 0 || before(x, i, i - 1)) && (i === n - 1 || before(x, i, i + 1));
    if (!isPeak || i === order[0]) continue;
    const present = new Array<boolean>(n).fill(false);
    for (const v of order) {
      present[v] = true;
      let lo = i;
      let hi = i;
      while (lo > 0 && present[lo - 1]) lo--;
      while (hi < n - 1 && present[hi + 1]) hi++;
      let touchesElder = false;
      for (let j = lo; j <= hi; j++) if (before(x, j, i)) touchesElder = true;
      if (present[i] && touchesElder) {
        if (x[i] > x[v]) pairs.push(pair(x[i], x[v], i, v));
        break;
      }
    }
  }
  const [essential, ...rest] = pairs;
  rest.sort((a, b) => b.birth - b.death - (a.birth - a.death) || a.birthIndex - b.birthIndex);
  return [essential, ...rest];
}

describe('persistence0 (superlevel-set, 0-dimensional)', () => {
  it('pairs each lower peak with the saddle where it meets a higher one, essential pair first', () => {
    assert.deepEqual(persistence0([0, 2, 1, 3, 0]), [pair(3, 0, 3, 4), pair(2, 1, 1, 2)]);
    assert.deepEqual(persistence0([5, 1, 4, 0, 3, 2]), [pair(5, 0, 0, 3), pair(4, 1, 2, 1), pair(3, 0, 4, 3)]);
  });

  it('makes the lower index the elder of two equal peaks', () => {
    assert.deepEqual(persistence0([3, 1, 3]), [pair(3, 1, 0, 1), pair(3, 1, 2, 1)]);
    assert.deepEqual(persistence0([2, 0, 2, 0, 2]), [pair(2, 0, 0, 3), pair(2, 0, 2, 1), pair(2, 0, 4, 3)]);
  });

  it('gives a plateau peak the plateau\'s lowest index and a plateau saddle its highest', () => {
    // Peak plateau 1..2 is born at index 1; the saddle plateau 3..4 is crossed at index 4.
    assert.deepEqual(persistence0([0, 4, 4, 1, 1, 5, 0]), [pair(5, 0, 5, 6), pair(4, 1, 1, 4)]);
  });

  it('drops zero-persistence pairs, as GUDHI does by default', () => {
    // Vertex 0 starts a component that merges into vertex 2's at once, at its own height.
    assert.deepEqual(persistence0([1, 1, 2]), [pair(2, 1, 2, 1)]);
    assert.deepEqual(persistence0([1, 3, 2, 3, 1]), [pair(3, 1, 1, 4), pair(3, 2, 3, 2)]);
  });

  it('keeps the essential pair of a constant, a single-value and a monotone sequence', () => {
    assert.deepEqual(persistence0([2, 2, 2, 2]), [pair(2, 2, 0, 3)]);
    assert.deepEqual(persistence0([7]), [pair(7, 7, 0, 0)]);
    assert.deepEqual(persistence0([1, 2, 3, 4]), [pair(4, 1, 3, 0)]);
    assert.deepEqual(persistence0([4, 3, 3, 1]), [pair(4, 1, 0, 3)]);
    assert.deepEqual(persistence0([]), []);
  });

  it('accepts typed arrays and negative values', () => {
    assert.deepEqual(persistence0(new Float32Array([-1, -3, -2, -5])), [pair(-1, -5, 0, 3), pair(-2, -3, 2, 1)]);
  });

  it('agrees with a brute-force reading of the rule on 3,000 sequences full of ties', () => {
    const rnd = seededRandom(7);
    const sequences = [...Array.from({ length: 1500 }, () => smallIntegers(rnd, 1 + Math.floor(rnd() * 40))), ...mixedSequences(rnd, 1500, 40)];
    for (const x of sequences) assert.deepEqual(persistence0(x), bruteForceDiagram(x), JSON.stringify(x));
  });

  it('handles a long sequence (comparator sort path) like the brute force', () => {
    const rnd = seededRandom(11);
    for (let r = 0; r < 5; r++) {
      const x = smallIntegers(rnd, 300 + r * 57);
      assert.deepEqual(persistence0(x), bruteForceDiagram(x));
    }
  });

  for (const [label, bad] of [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
    it(`rejects ${label} with an invalid-request error naming the index`, () => {
      assert.throws(
        () => persistence0([1, 2, bad, 3]),
        (err: unknown) => {
          assert.ok(err instanceof NonFiniteValueError);
          assert.ok(err instanceof BettiError);
          assert.equal(err.kind, 'invalid-request');
          assert.equal(err.where, 'index 2');
          assert.match(err.message, new RegExp(`value at index 2 is ${label.replace('-', '\\-')}`));
          assert.ok(err.hint && err.hint.length > 0);
          return true;
        },
      );
    });
  }
});

describe('landscapes', () => {
  it('samples λ1…λ5 at t = 0, 0.5, …, 4.5 with λ1 first (3,200 values for 64 channels)', () => {
    assert.deepEqual(Array.from(samplePoints(PCNN_CONFIG.landscape)), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    assert.equal(landscapeSize(), 3200);
    const l = landscapes(persistence0([0, 2, 1, 3, 0]));
    assert.equal(l.length, 50);
    assert.deepEqual(Array.from(l.subarray(0, 10)), [0, 0.5, 1, 1.5, 1, 0.5, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(l.subarray(10, 20)), [0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0]);
    assert.ok(l.subarray(20).every((v) => v === 0));
  });

  it('orders tents at each point, largest first, and leaves λj zero where fewer than j tents are positive', () => {
    const l = landscapes(
      [
        { birth: 4, death: 0 },
        { birth: 3, death: 1 },
        { birth: 2.5, death: 0.5 },
      ],
      { k: 3, points: 5, lo: 0, hi: 5 },
    );
    // t = 0, 1, 2, 3, 4
    assert.deepEqual(Array.from(l), [0, 1, 2, 1, 0, /* λ2 */ 0, 0.5, 1, 0, 0, /* λ3 */ 0, 0, 0.5, 0, 0]);
  });

  it('gives zero for zero-length pairs and outside [death, birth]', () => {
    const l = landscapes([{ birth: 2, death: 2 }, { birth: 9, death: 6 }]);
    assert.ok(l.every((v) => v === 0));
  });

  it('rejects parameters that cannot be sampled', () => {
    assert.throws(() => landscapes([], { k: 0, points: 10, lo: 0, hi: 5 }), /k must be a positive integer/);
    assert.throws(() => landscapes([], { k: 5, points: 10, lo: 5, hi: 5 }), /lo < hi/);
    assert.throws(() => landscapes([], { k: 5, points: 2.5, lo: 0, hi: 5 }), /points must be a positive integer/);
  });
});
