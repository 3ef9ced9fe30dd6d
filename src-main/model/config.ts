// The PCNN's layer numbers (DESIGN.md "The analysis spec (version 1) and the model"), in one
// place. The training scripts read this literal as JSON through a tiny script, so it stays a plain
// object literal: no computed values, no imports, no comments inside the braces.
export const PCNN_CONFIG = {
  version: 'pcnn-3',
  frontEnd: { filters: 64, frames: 8, bands: 128, poolTime: 4 },
  segment: { steps: 32, stride: 32 },
  convBranch: { channels: 3200, pool: 32 },
  landscape: { k: 5, points: 10, lo: 0, hi: 5 },
  rhythm: { lags: 64 },
  chroma: { profiles: 32, context: 'segment' },
  head: { units: [512, 512], dropout: 0.5 },
} as const;

export type PcnnConfig = typeof PCNN_CONFIG;

/** Landscape sampling: λ₁…λ_k at tᵢ = lo + i·(hi − lo)/points, i = 0 … points − 1. */
export interface LandscapeParams {
  readonly k: number;
  readonly points: number;
  readonly lo: number;
  readonly hi: number;
}

/** How the activation sequence is cut: windows of `steps` values every `stride` values. */
export interface SegmentParams {
  readonly steps: number;
  readonly stride: number;
}

/** Values the persistence branch gives per segment: channels · k · points (64 · 5 · 10 = 3,200). */
export function landscapeSize(config: { frontEnd: { filters: number }; landscape: LandscapeParams } = PCNN_CONFIG): number {
  return config.frontEnd.filters * config.landscape.k * config.landscape.points;
}

/** Values the chroma branch gives per segment: one per learned pitch-class profile (0: no chroma branch). */
export function chromaSize(config: { chroma: { profiles: number } } = PCNN_CONFIG): number {
  return config.chroma.profiles;
}

/** Values the rhythm branch gives per segment: channels · lags (64 · 64 = 4,096; 0 when lags is 0). */
export function rhythmSize(config: { frontEnd: { filters: number }; rhythm: { lags: number } } = PCNN_CONFIG): number {
  return config.frontEnd.filters * config.rhythm.lags;
}
