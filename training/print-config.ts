// Prints the single sources of truth the Python trainer needs, as one JSON document on stdout:
// the PCNN layer numbers (src-main/model/config.ts), the feature spec (src-main/features/spec.ts)
// and the quality bar a tag must clear to be suggested (src-main/model/quality-bar.ts).
// training/pcnn/config.py runs this so no number is duplicated in Python.
import { FEATURE_SPEC } from '../src-main/features/spec.ts';
import { PCNN_CONFIG } from '../src-main/model/config.ts';
import { DEFAULT_BAR } from '../src-main/model/quality-bar.ts';

process.stdout.write(`${JSON.stringify({ pcnn: PCNN_CONFIG, featureSpec: FEATURE_SPEC, qualityBar: DEFAULT_BAR })}\n`);
