#!/usr/bin/python3
"""Reference log-mel for Betti's tests: librosa's formulas re-implemented in numpy (librosa is not
installed). Same definitions as src-main/features/spec.ts: periodic Hann 512, hop 512, centred
frames over a ZERO-padded signal, power |X|^2, Slaney mel scale with Slaney (area) norm, 128 bands
from 0 to 8 kHz, log10(1 + 10000 * mel). Everything is computed in float64.

The chroma of spec version 2 likewise: periodic Hann 4096, the same centred frames (hop 512, zero
padding), bins in [55, 2000) Hz summed by nearest pitch class (A4 = 440 Hz, C = 0), times 1/64,
then log10(1 + 10000 * sum).

usage: logmel_ref.py IN.f32 OUT.f32      (little-endian float32 samples in, frames x 128 out)
       logmel_ref.py --chroma IN.f32 OUT.f32 (frames x 12 out)
       logmel_ref.py --filterbank OUT.f64 (the dense 128 x 257 filterbank, float64)
       logmel_ref.py --bench SECONDS IN.f32 (best time of log_mel over SECONDS, as JSON; for bench/features)
"""
import json
import sys
import time

import numpy as np

SR, N_FFT, HOP, N_MELS, FMIN, FMAX, MULT = 16000, 512, 512, 128, 0.0, 8000.0, 10000.0


def hz_to_mel(f):
    # librosa.hz_to_mel(htk=False)
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    # librosa.mel_to_hz(htk=False)
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filterbank():
    # librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')
    fftfreqs = np.fft.rfftfreq(n=N_FFT, d=1.0 / SR)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((N_MELS, 1 + N_FFT // 2))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS])
    return weights * enorm[:, np.newaxis]


def log_mel(y, fb=None):
    """fb: the filterbank, when the caller built it once (as the TypeScript does)."""
    fb = mel_filterbank() if fb is None else fb
    y = np.asarray(y, dtype=np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # scipy hann(sym=False)
    padded = np.pad(y, N_FFT // 2, mode="constant")  # zeros, not librosa's default 'reflect'
    n_frames = 1 + len(y) // HOP
    idx = np.arange(N_FFT)[np.newaxis, :] + HOP * np.arange(n_frames)[:, np.newaxis]
    frames = padded[idx] * window
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2  # frames x 257
    mel = power @ fb.T  # frames x 128
    return np.log10(1.0 + MULT * mel)


CHROMA_FFT, CHROMA_FMIN, CHROMA_FMAX, CHROMA_SCALE = 4096, 55.0, 2000.0, 1.0 / 64


def chroma(y):
    y = np.asarray(y, dtype=np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(CHROMA_FFT) / CHROMA_FFT)
    padded = np.pad(y, CHROMA_FFT // 2, mode="constant")
    n_frames = 1 + len(y) // HOP
    out = np.zeros((n_frames, 12))
    freqs = np.fft.rfftfreq(CHROMA_FFT, 1.0 / SR)
    sel = (freqs >= CHROMA_FMIN) & (freqs < CHROMA_FMAX)
    classes = ((np.round(12 * np.log2(freqs[sel] / 440.0)) + 9) % 12).astype(int)
    for t in range(n_frames):
        power = np.abs(np.fft.rfft(padded[t * HOP:t * HOP + CHROMA_FFT] * window)) ** 2
        out[t] = np.bincount(classes, weights=power[sel], minlength=12)
    return np.log10(1.0 + MULT * CHROMA_SCALE * out)


def bench(seconds, path):
    y = np.fromfile(path, dtype="<f4")
    fb = mel_filterbank()
    frames = log_mel(y, fb).shape[0]
    best = float("inf")
    until = time.perf_counter() + seconds
    while True:
        t0 = time.perf_counter()
        log_mel(y, fb)
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() >= until:
            break
    print(json.dumps({"frames": frames, "best_s": best, "numpy": np.__version__}))


def main(argv):
    if len(argv) == 4 and argv[1] == "--bench":
        bench(float(argv[2]), argv[3])
        return 0
    if len(argv) == 4 and argv[1] == "--chroma":
        chroma(np.fromfile(argv[2], dtype="<f4")).astype("<f4").tofile(argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "--filterbank":
        mel_filterbank().astype("<f8").tofile(argv[2])
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    y = np.fromfile(argv[1], dtype="<f4")
    log_mel(y).astype("<f4").tofile(argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
