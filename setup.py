"""Only what pyproject.toml cannot say: a built wheel carries the review notebooks and the
export presets (storeops.resources finds them in storeops/_shipped/). The repository's
top-level notebooks/ and params/sources/ stay their one source; an editable install reads
them in place."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = {"notebooks": HERE / "notebooks", "sources": HERE / "params" / "sources"}


class BuildWithShipped(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name, src in SHIPPED.items():
            dest = Path(self.build_lib) / "storeops" / "_shipped" / name
            shutil.rmtree(dest, ignore_errors=True)  # a file deleted from the repository leaves the wheel too
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.md"))


setup(cmdclass={"build_py": BuildWithShipped})
