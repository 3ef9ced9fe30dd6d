"""Quick-mode smoke run: train PCNN and FCN for one epoch on a tiny synthetic feature cache in the
real cache format, then export, and check every exported file against what the tfjs side reads."""
from __future__ import annotations

import csv
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from pcnn.config import layer_config, project_constants
from pcnn.exported import load_exported
from pcnn.model import window_probabilities

TRAINING = Path(__file__).resolve().parent.parent
REAL_DATA = TRAINING.parent.parent / "shared" / "data"
TAGS = [{"tag": "piano", "category": "instrument"}, {"tag": "drums", "category": "instrument"},
        {"tag": "fast", "category": "tempo"}]


def make_fake_data(root: Path, spec_version: str) -> tuple[Path, Path]:
    """A 3-tag data folder and a matching feature cache: 'piano' clips have energy in low bands,
    'drums' clips in high bands, so one epoch can already learn something."""
    data, feats = root / "data", root / "features"
    data.mkdir()
    feats.mkdir()
    (data / "tags.json").write_text(json.dumps(TAGS))
    rng = np.random.default_rng(0)
    rows, clips, blobs, offset = [], [], [], 0
    for split, n in (("train", 24), ("valid", 8), ("test", 8)):
        for i in range(n):
            piano, drums = i % 2 == 0, i % 3 == 0
            frames = [100, 140, 200, 313][i % 4]  # includes a clip shorter than one segment
            x = rng.normal(1.0, 0.3, (frames, 128 + 12)).astype(np.float32)  # mel bands, then chroma bins
            if piano:
                x[:, :20] += 2.0
            if drums:
                x[:, 100:] += 2.0
            path = f"audio/fake/{split}{i}.ogg"
            tags = ";".join(t for t, on in (("piano", piano), ("drums", drums), ("fast", i % 4 == 1)) if on)
            rows.append({"path": path, "tags": tags, "split": split, "source": "fake" if i % 2 else "other",
                         "source_track": f"t{i}", "license": "CC0", "labelled_categories": "instrument;tempo"})
            clips.append({"path": path, "frames": frames, "offset": offset})
            blobs.append(x.tobytes())
            offset += x.size
    with open(data / "manifest.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    (feats / "features.f32").write_bytes(b"".join(blobs))
    (feats / "index.json").write_text(json.dumps({"specVersion": spec_version, "manifestHash": "0" * 64,
                                                  "bands": 128 + 12, "clips": clips}))
    return data, feats


class QuickTrainAndExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="betti-train-smoke-"))
        consts = project_constants()
        cls.data, cls.features = make_fake_data(cls.tmp, consts["featureSpec"]["version"])
        cls.run_dir, cls.model_dir = cls.tmp / "run", cls.tmp / "model"
        common = dict(cwd=TRAINING, check=True, capture_output=True, text=True)
        cls.train_out = subprocess.run(
            [sys.executable, "-m", "pcnn.main", "--features", str(cls.features), "--data", str(cls.data),
             "--out", str(cls.run_dir), "--quick", "--epochs", "1", "--seeds", "0,1"], **common).stdout
        cls.export_out = subprocess.run(
            [sys.executable, "export.py", "--run", str(cls.run_dir), "--features", str(cls.features),
             "--data", str(cls.data), "--out", str(cls.model_dir)], **common).stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_prints_a_table_with_both_architectures(self):
        self.assertIn("architecture  seeds", self.train_out)
        self.assertRegex(self.train_out, r"pcnn\s+2\s+\d\.\d{4} ± \d\.\d{4}")
        self.assertRegex(self.train_out, r"fcn\s+2\s+\d\.\d{4} ± \d\.\d{4}")

    def test_exports_default_and_the_other_architecture(self):
        m = json.loads((self.model_dir / "model.json").read_text())
        other = "fcn" if m["architecture"] == "pcnn" else "pcnn"
        self.assertTrue((self.model_dir / other / "model.json").exists())
        self.assertTrue((self.model_dir / "MODEL_CARD.md").read_text().startswith("# Betti PCNN"))
        self.assertIn("QUICK-MODE MODEL", (self.model_dir / "MODEL_CARD.md").read_text())

    def test_model_json_describes_the_weights_file_exactly(self):
        for d in (self.model_dir, *[p for p in self.model_dir.iterdir() if p.is_dir()]):
            m = json.loads((d / "model.json").read_text())
            self.assertEqual(m["format"], "betti-pcnn")
            self.assertEqual(m["specVersion"], project_constants()["featureSpec"]["version"])
            self.assertEqual(len(m["input"]["standardisation"]["mean"]), 128 + 12)
            group = m["weightsManifest"][0]
            size = 0
            for w in group["weights"]:
                width = {"float16": 2, "uint8": 1}.get(w.get("quantization", {}).get("dtype"), 4)
                size += int(np.prod(w["shape"])) * width
            self.assertEqual(size, (d / group["paths"][0]).stat().st_size)
            # Two seeds trained, so two members ship, each under its prefix.
            self.assertEqual(m["members"], 2)
            self.assertEqual(len(m["trainedOn"]["seeds"]), 2)
            names = [w["name"] for w in group["weights"]]
            self.assertEqual(names[:4], ["m0/front/kernel", "m0/front/bias", "m0/branch/kernel", "m0/branch/bias"])
            self.assertEqual(names[len(names) // 2:][:1], ["m1/front/kernel"])
            shapes = {w["name"][len("m0/"):]: w["shape"] for w in group["weights"] if w["name"].startswith("m0/")}
            self.assertEqual(shapes["front/kernel"], [8, 128, 64])
            rhythm = 64 * m["config"]["rhythm"]["lags"]  # the rhythm branch: filters x lags
            self.assertEqual(m["config"]["rhythm"]["lags"], layer_config().rhythm_lags)
            profiles = m["config"]["chroma"]["profiles"]  # the chroma branch: one value per profile
            self.assertEqual(profiles, layer_config().chroma_profiles)
            self.assertEqual(shapes["chroma/kernel"], [12, profiles])
            self.assertEqual(shapes["head/0/kernel"], [(6400 if m["architecture"] == "pcnn" else 3200) + rhythm + profiles, 512])
            self.assertEqual(shapes["out/kernel"], [512, len(TAGS)])

    def test_an_earlier_export_joins_the_candidates_and_one_that_reads_other_input_is_refused(self):
        earlier = self.tmp / "earlier"
        shutil.copytree(self.model_dir, earlier)
        common = dict(cwd=TRAINING, capture_output=True, text=True)
        base = [sys.executable, "export.py", "--run", str(self.run_dir), "--features", str(self.features),
                "--data", str(self.data)]
        r = subprocess.run([*base, "--out", str(self.tmp / "pooled"), "--with-exported", str(earlier)], **common)
        self.assertEqual(r.returncode, 0, r.stderr)
        earlier_version = json.loads((earlier / "model.json").read_text())["modelVersion"]
        # Both seeds of the run and both networks of the earlier export were scored on valid.
        self.assertRegex(r.stdout, rf"valid sums .*seed \d of {re.escape(earlier_version)}.*seed \d of {re.escape(earlier_version)}")
        m = json.loads((self.tmp / "pooled" / "model.json").read_text())
        sums = [x["validSum"] for x in m["trainedOn"]["members"]]
        self.assertEqual(sums, sorted(sums, reverse=True), "the best valid sums first")
        self.assertTrue({x["from"] for x in m["trainedOn"]["members"]} <= {"run run", earlier_version})

        meta = json.loads((earlier / "model.json").read_text())
        meta["input"]["standardisation"]["mean"][0] += 1.0
        (earlier / "model.json").write_text(json.dumps(meta))
        r = subprocess.run([*base, "--out", str(self.tmp / "refused"), "--with-exported", str(earlier)], **common)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot join this run's networks: another standardisation", r.stderr)
        self.assertFalse((self.tmp / "refused").exists(), "nothing is written before the check")

    def test_tags_json_keeps_vocabulary_order_with_thresholds_and_valid_measurements(self):
        floor = project_constants()["qualityBar"]["thresholdFloor"]
        tags = json.loads((self.model_dir / "tags.json").read_text())
        self.assertEqual([t["tag"] for t in tags], [t["tag"] for t in TAGS])
        self.assertTrue(all(floor <= t["threshold"] <= 1.0 for t in tags), "thresholds at or above the quality bar's floor")
        for t in tags:
            self.assertEqual(set(t["valid"]), {"rocAuc", "rocAucWithinSource", "precision"}, t["tag"])
            self.assertTrue(all(v is None or 0.0 <= v <= 1.0 for v in t["valid"].values()), t)

    def test_parity_outputs_are_reproduced_from_the_exported_files_alone(self):
        """Rebuild the network from model.json + weights.bin (as the tfjs side will) and check the
        recorded outputs, so the export and the parity file agree with each other."""
        for d in (self.model_dir, *[p for p in self.model_dir.iterdir() if p.is_dir()]):
            m = json.loads((d / "model.json").read_text())
            parity = json.loads((d / "parity.json").read_text())
            members = load_exported(d)
            self.assertEqual(len(members), m.get("members", 1))
            model = members[0]
            mean = np.array(m["input"]["standardisation"]["mean"], np.float32)
            std = np.array(m["input"]["standardisation"]["std"], np.float32)
            self.assertEqual(len(parity["cases"]), 3)
            for case in parity["cases"]:
                raw = np.array(case["input"], np.float32).reshape(case["frames"], case["bands"])
                with torch.no_grad():
                    x = torch.from_numpy((raw - mean) / std)[None]
                    logits, emb = model(x)
                    _, land, _, pitch = model.segment_features(x)
                    probs = torch.stack([window_probabilities(n(x)[0])[0] for n in members]).mean(dim=0)
                np.testing.assert_allclose(probs.numpy(), case["probabilities"], atol=1e-5)
                np.testing.assert_allclose(emb.mean(1)[0].numpy(), case["embedding"], atol=1e-4)
                self.assertEqual(case["segments"], logits.shape[1])
                if m["architecture"] == "pcnn":
                    np.testing.assert_allclose(land[0].numpy().reshape(-1), case["landscapeBranch"], atol=1e-5)
                else:
                    self.assertIsNone(case["landscapeBranch"])
                np.testing.assert_allclose(pitch[0].numpy().reshape(-1), case["chromaBranch"], atol=1e-5)


if __name__ == "__main__":
    unittest.main()
