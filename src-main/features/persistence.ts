// 0-dimensional persistence of the superlevel-set filtration of a 1-D sequence (DESIGN.md "The
// analysis spec (version 1)"): the vertices of a path graph enter from the highest value down, a
// peak is born at its height and dies where it merges into an elder component (elder rule), and
// the essential class is paired with the sequence's minimum. Union-find with path compression
// after one sort of the indices: O(n log n).
//
// THE RULE, exactly (training/pcnn/landscape.py and the tfjs layer replicate it; change all three
// together). x[0..n-1] are the values, all finite.
//  1. Filtration order: vertex a comes before vertex b when x[a] > x[b], or x[a] == x[b] and
//     a < b. On equal values the lower index is the elder ("higher") one.
//  2. Vertices are added in that order; vertex i is joined to whichever of i-1 and i+1 is present.
//     A vertex with no present neighbour starts a component and is its birth vertex.
//  3. A vertex i whose two neighbours are in different components merges them. The component
//     whose birth vertex comes later in the order (the younger) dies at i: the pair is
//     (birth, death) = (x[y], x[i]) with birthIndex = y (the younger's birth vertex) and
//     deathIndex = i (the vertex whose arrival connects the two; on a plateau saddle that is the
//     plateau's last vertex in the order, i.e. its highest index).
//  4. Pairs with birth == death (zero persistence, e.g. [1, 1, 2]: vertex 0 is born and at once
//     joined) are dropped. GUDHI does the same: `persistence()` keeps pairs whose persistence is
//     strictly greater than min_persistence = 0 (checked against python3-gudhi 3.7.1).
//  5. The essential pair is always present for n >= 1, even for a constant sequence (GUDHI reports
//     the essential class there too): birthIndex = the first vertex in the order (the global
//     maximum with the lowest index), deathIndex = the last vertex in the order (the global
//     minimum with the HIGHEST index), death = min(x) instead of GUDHI's infinity.
//  6. Diagram order: persistence (birth − death) descending, then birthIndex ascending. The
//     essential pair is therefore always first. Every birthIndex occurs at most once.
// An empty sequence has an empty diagram.
import { BettiError } from '../api/errors.ts';

export interface PersistencePair {
  birth: number;
  death: number;
  birthIndex: number;
  deathIndex: number;
}

/** Pairs in the order of rule 6; the essential pair (death = min) first. */
export type Diagram0 = PersistencePair[];

/** A NaN or ±Infinity where persistence needs a finite value; `where` names its position. */
export class NonFiniteValueError extends BettiError {
  readonly where: string;
  readonly value: number;
  constructor(where: string, value: number) {
    super('invalid-request', `persistence: the value at ${where} is ${String(value)}; persistence needs finite numbers`, {
      hint: 'Drop or replace non-finite values first (NaN usually comes from a failed decode or a 0/0 upstream).',
    });
    this.name = 'NonFiniteValueError';
    this.where = where;
    this.value = value;
  }
}

/**
 * Reusable buffers for sequences up to `capacity` long, so a caller that computes thousands of
 * diagrams (the batched landscape layer) allocates nothing per sequence.
 */
export class Persistence0Workspace {
  readonly capacity: number;
  /** The sequence, filled by the caller before `diagramIndices`. */
  readonly values: Float64Array;
  readonly order: Int32Array;
  readonly parent: Int32Array;
  /** Output of `diagramIndices`: pair p is (birthIndex[p], deathIndex[p]); pair 0 is essential. */
  readonly birthIndex: Int32Array;
  readonly deathIndex: Int32Array;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    // At most ceil(n/2) peaks, so n slots always suffice.
    this.birthIndex = new Int32Array(Math.max(1, capacity));
    this.deathIndex = new Int32Array(Math.max(1, capacity));
  }
}

// Above this length the insertion sort's n² compares cost more than a comparator sort.
const INSERTION_SORT_MAX = 64;

function sortFiltrationOrder(ws: Persistence0Workspace, n: number): void {
  const x = ws.values;
  const order = ws.order;
  if (n <= INSERTION_SORT_MAX) {
    // Stable insertion by value, descending: equal values keep index order (rule 1).
    for (let i = 0; i < n; i++) {
      const v = x[i];
      let j = i - 1;
      while (j >= 0 && x[order[j]] < v) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
    return;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order.subarray(0, n).sort((a, b) => x[b] - x[a] || a - b);
}

function find(parent: Int32Array, v: number): number {
  let root = v;
  while (parent[root] !== root) root = parent[root];
  while (parent[v] !== root) {
    const next = parent[v];
    parent[v] = root;
    v = next;
  }
  return root;
}

/**
 * The diagram of `ws.values[0..n)` as index pairs in `ws.birthIndex` / `ws.deathIndex` (pair 0
 * essential, the others in the order they die, zero-persistence pairs dropped). Returns the
 * number of pairs. The values must be finite (callers check, naming the position).
 */
export function diagramIndices(ws: Persistence0Workspace, n: number): number {
  if (n === 0) return 0;
  if (n > ws.capacity) throw new RangeError(`diagramIndices: sequence of ${n} exceeds the workspace capacity ${ws.capacity}`);
  const x = ws.values;
  const order = ws.order;
  const parent = ws.parent;
  sortFiltrationOrder(ws, n);
  parent.fill(-1, 0, n);
  let count = 1; // slot 0 is the essential pair
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const left = i > 0 && parent[i - 1] !== -1 ? find(parent, i - 1) : -1;
    const right = i + 1 < n && parent[i + 1] !== -1 ? find(parent, i + 1) : -1;
    if (left === -1 && right === -1) {
      parent[i] = i;
    } else if (left === -1 || right === -1) {
      parent[i] = left === -1 ? right : left;
    } else {
      // Roots are birth vertices (the elder root always becomes the parent), so comparing roots
      // by rule 1 compares the components' ages. On a path the two neighbours' roots differ.
      const leftElder = x[left] > x[right] || (x[left] === x[right] && left < right);
      const elder = leftElder ? left : right;
      const younger = leftElder ? right : left;
      parent[younger] = elder;
      parent[i] = elder;
      if (x[younger] > x[i]) {
        ws.birthIndex[count] = younger;
        ws.deathIndex[count] = i;
        count++;
      }
    }
  }
  ws.birthIndex[0] = order[0];
  ws.deathIndex[0] = order[n - 1];
  return count;
}

/** Throws NonFiniteValueError for the first NaN or ±Infinity, naming its index. */
export function assertFiniteSequence(values: ArrayLike<number>, label = 'index'): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteValueError(`${label} ${i}`, v);
  }
}

/** The superlevel-set 0-dimensional persistence diagram of `values`, by the rule in this file's header. */
export function persistence0(values: ArrayLike<number>): Diagram0 {
  assertFiniteSequence(values);
  const n = values.length;
  const ws = new Persistence0Workspace(n);
  for (let i = 0; i < n; i++) ws.values[i] = values[i];
  const count = diagramIndices(ws, n);
  const pairs: Diagram0 = [];
  for (let p = 0; p < count; p++) {
    const birthIndex = ws.birthIndex[p];
    const deathIndex = ws.deathIndex[p];
    pairs.push({ birth: ws.values[birthIndex], death: ws.values[deathIndex], birthIndex, deathIndex });
  }
  const essential = pairs.shift();
  pairs.sort((a, b) => b.birth - b.death - (a.birth - a.death) || a.birthIndex - b.birthIndex);
  return essential === undefined ? pairs : [essential, ...pairs];
}
