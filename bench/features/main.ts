// `npm run bench -- features [--seconds S]`: the feature pipeline's throughput, each row against a
// reference measured in the same run. Sections:
//   signal (signal.ts): decoding vs `ffmpeg -f null`, log-mel vs numpy;
//   persistence (persistence.ts): persistence + landscapes vs GUDHI, landscape layer vs a PCNN forward.
import { runPersistenceBench } from './persistence.ts';
import { runSignalBench } from './signal.ts';
import { formatTable } from './table.ts';

const at = process.argv.indexOf('--seconds');
const seconds = at > 0 ? Number(process.argv[at + 1]) : 2;
if (!(seconds > 0)) {
  console.error('usage: npm run bench -- features [--seconds S]   (S: seconds per measurement, default 2)');
  process.exit(2);
}

console.log('## signal: decoding and log-mel\n');
console.log(formatTable(await runSignalBench({ seconds })));
// ---- persistence section (bench/features/persistence.ts, owned by the persistence work) ----
console.log('\n## persistence and landscapes\n');
console.log(formatTable(await runPersistenceBench({ seconds })));
