"""ruff (settings in pyproject.toml) finds nothing: no unused imports, undefined names or likely bugs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    r = subprocess.run([Path(sys.executable).parent / "ruff", "check", "lib", "tests", "benchmarks", "setup.py"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
