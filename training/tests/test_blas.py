"""The trainer says when torch multiplies matrices with the reference BLAS (training 2-3x slower)."""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import unittest

from pcnn.config import TRAINING

CHECK = "from pcnn.main import reference_blas_warning; print(reference_blas_warning())"


def run_check(env: dict) -> str:
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=TRAINING, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


class ReferenceBlasWarning(unittest.TestCase):
    def test_quiet_with_the_blas_that_ci_installs(self):
        # .ci/run installs libopenblas0-pthread, which the libblas.so.3 alternative then points to.
        self.assertEqual(run_check(dict(os.environ)), "None")

    def test_names_the_package_to_install_when_the_reference_blas_is_loaded(self):
        reference = glob.glob("/usr/lib/*/blas/libblas.so.3")
        if not reference:
            self.skipTest("the reference BLAS (libblas3) is not installed, so torch cannot be using it")
        out = run_check({**os.environ, "LD_PRELOAD": reference[0]})
        self.assertIn("reference BLAS", out)
        self.assertIn("apt-get install libopenblas0-pthread", out)


if __name__ == "__main__":
    unittest.main()
