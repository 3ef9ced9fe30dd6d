// The similarity scan's inner loop in WebAssembly SIMD: the dot product of every embedding with a
// query, four floats per instruction and two accumulators per row. JavaScript has no SIMD and V8
// does not vectorise the plain loop, so this is what keeps a query over 100,000 × 512 values well
// under 100 ms (bench/personal measures it against the JavaScript loop). The embeddings live in
// the module's memory, allocated once at their final size (memory never grows, so the Float32Array
// view over it stays valid); learning reads the same view. The module is 200 bytes written out
// below instruction by instruction (a build step or a wasm toolchain for one loop would cost more
// than it saves); where WebAssembly SIMD is unavailable, or the width is not a multiple of 8, the
// JavaScript loop (similar.ts) is used instead.

// The part of WebAssembly's JavaScript API used here. The project's libraries (ES2024 and
// @types/node) do not declare it, and lib.dom would bring the browser's globals into Node code.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly compiled: unique symbol;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
};

/** Dot product of every row with the query, into `out` (length: the row count). */
export type DotKernel = (query: Float32Array, out: Float32Array) => void;

export interface MatrixStorage {
  /** rows × dims, row-major; a view over WebAssembly memory when `kernel` is set. */
  readonly data: Float32Array;
  readonly kernel: DotKernel | undefined;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

// Opcodes (WebAssembly core 2.0 and its SIMD proposal).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const F32_ADD = 0x92;
const F32_STORE = [0x38, 0x02]; // + offset
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const BR_IF = 0x0d;
const END = 0x0b;
const V128_LOAD = [0xfd, 0x00, 0x04]; // align 16; + offset
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const F32X4_LANE = (lane: number): number[] => [0xfd, 0x1f, lane];

// dots(matrix, query, out, rows, dims): locals 5 row, 6 byte offset in the row, 7 row pointer,
// 8-9 the two accumulators, 10 bytes per row.
const [MATRIX, QUERY, OUT, ROWS, DIMS, ROW, K, P, ACC0, ACC1, ROW_BYTES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const get = (i: number) => [LOCAL_GET, i];
const set = (i: number) => [LOCAL_SET, i];
const tee = (i: number) => [LOCAL_TEE, i];
/** acc += load(p + k + offset) * load(query + k + offset) */
const multiplyAdd = (acc: number, offset: number) => [
  ...get(acc),
  ...get(P),
  ...get(K),
  I32_ADD,
  ...V128_LOAD,
  offset,
  ...get(QUERY),
  ...get(K),
  I32_ADD,
  ...V128_LOAD,
  offset,
  ...F32X4_MUL,
  ...F32X4_ADD,
  ...set(acc),
];
const body = [
  ...[3, 3, 0x7f, 2, 0x7b, 1, 0x7f], // locals: 3 × i32, 2 × v128, 1 × i32
  ...get(DIMS), I32_CONST, 2, I32_SHL, ...set(ROW_BYTES),
  ...get(MATRIX), ...set(P),
  ...BLOCK,
  ...get(ROWS), I32_EQZ, BR_IF, 0,
  ...LOOP,
  ...V128_ZERO, ...set(ACC0), ...V128_ZERO, ...set(ACC1), I32_CONST, 0, ...set(K),
  ...LOOP,
  ...multiplyAdd(ACC0, 0),
  ...multiplyAdd(ACC1, 16),
  ...get(K), I32_CONST, 32, I32_ADD, ...tee(K), ...get(ROW_BYTES), I32_LT_U, BR_IF, 0,
  END,
  // out[row] = the four lanes of acc0 + acc1, summed
  ...get(OUT),
  ...get(ACC0), ...get(ACC1), ...F32X4_ADD, ...tee(ACC0), ...F32X4_LANE(0),
  ...get(ACC0), ...F32X4_LANE(1), F32_ADD, ...get(ACC0), ...F32X4_LANE(2), F32_ADD, ...get(ACC0), ...F32X4_LANE(3), F32_ADD,
  ...F32_STORE, 0,
  ...get(OUT), I32_CONST, 4, I32_ADD, ...set(OUT),
  ...get(P), ...get(ROW_BYTES), I32_ADD, ...set(P),
  ...get(ROW), I32_CONST, 1, I32_ADD, ...tee(ROW), ...get(ROWS), I32_LT_U, BR_IF, 0,
  END,
  END,
  END,
];

const MODULE = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // type: (i32 × 5) → ()
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import env.memory, at least 1 page
  ...section(3, [1, 0]), // one function of type 0
  ...section(7, [1, ...name('dots'), 0x00, 0]), // export it as "dots"
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
function simdModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(MODULE) ? new WebAssembly.Module(MODULE) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: wasm32's limit

/** Room for `rows` × `dims` embeddings, with the SIMD kernel when it can be had. */
export function allocateMatrix(rows: number, dims: number, opts: { simd?: boolean } = {}): MatrixStorage {
  const module = opts.simd === false || dims % 8 !== 0 || rows === 0 ? null : simdModule();
  const matrixBytes = rows * dims * 4;
  const queryAt = matrixBytes;
  const outAt = queryAt + dims * 4;
  const pages = Math.ceil((outAt + rows * 4) / PAGE);
  if (!module || pages > MAX_PAGES) return { data: new Float32Array(rows * dims), kernel: undefined };
  let memory: WasmMemory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return { data: new Float32Array(rows * dims), kernel: undefined }; // no room for one block: the plain array
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const dots = instance.exports.dots as (matrix: number, query: number, out: number, rows: number, dims: number) => void;
  const data = new Float32Array(memory.buffer, 0, rows * dims);
  const query = new Float32Array(memory.buffer, queryAt, dims);
  const result = new Float32Array(memory.buffer, outAt, rows);
  return {
    data,
    kernel: (q, out) => {
      query.set(q);
      dots(0, queryAt, outAt, rows, dims);
      out.set(result);
    },
  };
}
