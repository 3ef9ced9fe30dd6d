// m4a: the shared write checks (written values read back by mutagen and exiftool, audio unchanged).
import { describeFormat } from './helpers/format-suite.ts';

describeFormat('m4a');
