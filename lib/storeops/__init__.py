"""storeops: the operations review workbook for online stores.

Notebooks call the review modules: ``storeops.daily.kpis(ctx)``. Submodules load
on first use, so the command line starts fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

__all__ = ["daily", "weekly", "monthly", "replenishment", "pace", "group", "targets", "reviews", "demo", "ingest", "metrics", "present", "publish", "schema", "warehouse", "config", "periods"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"storeops.{name}")
    raise AttributeError(f"module 'storeops' has no attribute {name!r}")


class _ThemeAfterPyplot:
    """Loads present.theme (the CJK font an analyst's own charts fall back on) once matplotlib.pyplot
    has loaded: storeops itself loads matplotlib only with a review's first chart, and an analyst may
    import matplotlib after storeops."""

    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib.pyplot":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)  # as the other finders give it
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            importlib.import_module("storeops.present.theme")

        spec.loader.exec_module = exec_module
        return spec


if "matplotlib.pyplot" in sys.modules:  # an analyst's notebook: their own charts show Chinese (present.theme)
    importlib.import_module("storeops.present.theme")
else:
    sys.meta_path.insert(0, _ThemeAfterPyplot())
