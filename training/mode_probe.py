"""How much of a clip's mode (major / natural minor) is in the audio, and how much of it survives in
the feature spec's log-mel: a probe outside the network, for training/README.md.

Krumhansl-Kessler key profiles are correlated with a clip's mean chroma in each of the 12 keys; the
score is the best major correlation minus the best minor one, and its ROC-AUC for `major` is
measured on the clips labelled for mode. The chroma comes from an 8192-point STFT of the audio
(decoded by ffmpeg at 22.05 kHz, 55-2000 Hz), from the cached features' mel bands (each band
counted for the pitch class of its centre frequency), or from the spec's own log-chroma columns
(FEATURE_SPEC.chroma, spec version 2), averaged over the clip's frames.

Usage: /usr/bin/python3 training/mode_probe.py --features DIR [--data DIR] [--split valid]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pcnn.config import REPO, project_constants  # noqa: E402
from pcnn.data import load_dataset, to_power  # noqa: E402
from pcnn.metrics import evaluate  # noqa: E402

MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def pitch_class(hz: np.ndarray) -> np.ndarray:
    return ((np.round(12 * np.log2(hz / 440.0)) + 9) % 12).astype(int)


def major_score(chroma: np.ndarray) -> float:
    best = lambda profile: max(np.corrcoef(np.roll(profile, k), chroma)[0, 1] for k in range(12))  # noqa: E731
    return best(MAJOR) - best(MINOR)


def stft_chroma(path: Path) -> np.ndarray:
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", "22050", "-f", "f32le", "-"],
                         capture_output=True, check=True).stdout
    x = np.frombuffer(pcm, np.float32)
    n, hop = 8192, 2048
    frames = np.array([x[i:i + n] * np.hanning(n) for i in range(0, max(1, len(x) - n), hop)])
    mag = np.abs(np.fft.rfft(frames, axis=1)).sum(0)
    hz = np.fft.rfftfreq(n, 1 / 22050)
    sel = (hz > 55) & (hz < 2000)
    return np.bincount(pitch_class(hz[sel]), weights=mag[sel], minlength=12)


def slaney_mel_centres(bands: int, f_max: float) -> np.ndarray:
    step = np.log(6.4) / 27

    def to_mel(f: float) -> float:
        return f / (200 / 3) if f < 1000 else 15 + np.log(f / 1000) / step

    m = np.linspace(0.0, to_mel(f_max), bands + 2)[1:-1]
    return np.where(m < 15, m * (200 / 3), 1000 * np.exp(step * (m - 15)))


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="mode_probe.py")
    p.add_argument("--features", type=Path, required=True, help="feature cache folder (extract-features.ts)")
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--split", default="valid")
    a = p.parse_args(argv)
    spec = project_constants()["featureSpec"]
    ds = load_dataset(a.data, a.features)
    major = ds.tags.index("major")
    rows = [i for i in ds.rows(a.split) if ds.mask[i, major]]
    y = ds.y[rows][:, [major]]
    known = np.ones_like(y)
    centres = slaney_mel_centres(spec["nMels"], spec["fMax"])
    print(f"{len(rows)} {a.split} clips labelled for mode ({int(y.sum())} major)")
    audio = np.array([[major_score(stft_chroma(a.data / ds.paths[i]))] for i in rows])
    print(f"  chroma from an 8192-point STFT, 55-2000 Hz: ROC-AUC {evaluate(y, audio, known)['macro_roc_auc']:.3f}")
    for lo, hi in ((500, 4000), (1000, 4000)):
        sel = (centres >= lo) & (centres <= hi)
        pcs = pitch_class(centres[sel])
        mel = np.array([[major_score(np.bincount(pcs, weights=to_power(ds.features[i][:, :spec["nMels"]], spec["logMultiplier"]).mean(0)[sel],
                                                 minlength=12))] for i in rows])
        print(f"  chroma from the spec's mel bands, centres {lo}-{hi} Hz: ROC-AUC {evaluate(y, mel, known)['macro_roc_auc']:.3f}")
    if ds.features[0].shape[1] > spec["nMels"]:
        own = np.array([[major_score(ds.features[i][:, spec["nMels"]:].mean(0))] for i in rows])
        print(f"  the spec's log-chroma ({spec['chroma']['nFft']}-point STFT, {spec['chroma']['fMin']}-{spec['chroma']['fMax']} Hz): "
              f"ROC-AUC {evaluate(y, own, known)['macro_roc_auc']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
