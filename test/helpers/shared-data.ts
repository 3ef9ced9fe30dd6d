// Where the labelled audio set lives (<repo>/../shared/data) and a skip reason when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const sharedDataDir = fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** `false` when the data is there, else the reason a test that needs it is skipped (CI has it). */
export const sharedDataSkip: false | string = existsSync(`${sharedDataDir}/manifest.csv`) ? false : `../shared/data is absent (${sharedDataDir}); CI provides it`;

/** A few real clips of different sources (orchestral game music, drums, speech). */
export const sampleClips = ['audio/wesnoth/battle-epic_00.ogg', 'audio/hydrogen/BJA_Pacific_00.ogg', 'audio/speech/s000.ogg'];
