#!/usr/bin/python3
"""The PyTorch landscape layer (training/pcnn/landscape.py) on given activations, for the tests
that check the TypeScript layer (src-main/features/landscape-batch.ts) against it.

Run with the Debian python (/usr/bin/python3: python3-torch).
stdin: JSON {"activations": [B*T*C floats, channels fastest], "shape": [B, T, C],
             "segment": {"steps", "stride"}, "landscape": {"k", "points", "lo", "hi"}}
stdout: JSON {"torch": version, "segments": S, "landscapes": [B*S*C*k*points floats]} in float32,
        the layout segment_landscapes returns ([B, S, C*k*points], channel-major).
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from pcnn.landscape import segment_landscapes  # noqa: E402


def main() -> None:
    req = json.load(sys.stdin)
    b, t, c = req["shape"]
    x = torch.tensor(req["activations"], dtype=torch.float32).reshape(b, t, c)
    seg, land = req["segment"], req["landscape"]
    with torch.no_grad():
        out = segment_landscapes(x, seg["steps"], seg["stride"], land["k"], land["points"], float(land["lo"]), float(land["hi"]))
    json.dump({"torch": torch.__version__, "segments": int(out.shape[1]), "landscapes": out.reshape(-1).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
