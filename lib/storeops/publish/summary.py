"""summary.json: the headline figures of a report, as plain numbers for schedulers, mail and checks.

The notebook *emits* the figures it showed as an output of a private MIME type;
the runner *extracts* them from the executed notebook. So the summary holds
exactly what the report shows, computed once.
"""

from __future__ import annotations

import decimal
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storeops.periods import Period

if TYPE_CHECKING:  # the kernel emits, the runner extracts: nbformat (1 s of jsonschema) is the runner's
    import nbformat

    from storeops.config import Config

MIME = "application/vnd.storeops.summary+json"
SUFFIX = ".summary.json"


def beside(report: Path) -> Path:
    """The summary that sits next to a report: daily-2026-11-26.html → daily-2026-11-26.summary.json."""
    return report.with_name(report.name.removesuffix(".html") + SUFFIX)


def report_of(summary_path: Path) -> Path:
    """The report a summary belongs to (the inverse of :func:`beside`)."""
    return summary_path.with_name(summary_path.name.removesuffix(SUFFIX) + ".html")


def outputs(cfg: "Config", kind: str, period_label: str, year: int, lang: str) -> tuple[Path, Path, Path]:
    """Where a run's HTML, executed notebook and summary go; a report in the store's
    language is ``daily-2026-11-26.html``, one in the other language ``daily-2026-11-26.en.html``."""
    folder = cfg.reports_dir / kind / str(year)
    stem = f"{kind}-{period_label}" + ("" if lang == cfg.language else f".{lang}")
    return folder / f"{stem}.html", folder / f"{stem}.ipynb", beside(folder / f"{stem}.html")


def plain(v: Any) -> int | float | None:
    """A JSON-safe number: Decimal → float (money keeps its cents), NaN/inf → None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, decimal.Decimal):
        return float(v)
    f = float(v)
    return f if math.isfinite(f) else None


def emit(kind: str, period: Period, lang: str, metrics: dict[str, Any],
         comparisons: dict[str, dict[str, Any]] | None = None, lists: dict[str, list[dict]] | None = None,
         hour: int | None = None) -> None:
    """Display the summary as a notebook output (not rendered in HTML).

    ``comparisons`` ({"dod": {id: relative change}, "wow": …}) lets mail and the
    archive say how a figure moved without recomputing it.
    """
    from IPython.display import display

    from storeops.present import formats

    data = {
        "kind": kind,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        **({"hour": hour} if hour is not None else {}),  # the pace check's: figures as of hour:00
        "lang": lang,
        "currency": formats.currency(),  # what the money figures are in: mail writes them so, years later too
        "metrics": {k: plain(v) for k, v in metrics.items()},
    }
    if comparisons:
        data["comparisons"] = {b: {k: plain(v) for k, v in c.items()} for b, c in comparisons.items()}
    if lists:  # rows of text and numbers: the digest's short tables
        data["lists"] = {name: [{k: v if isinstance(v, str) or v is None else plain(v) for k, v in row.items()}
                                for row in rows] for name, rows in lists.items()}
    display({MIME: data}, raw=True)


def extract(nb: "nbformat.NotebookNode") -> dict[str, Any] | None:
    """The last summary a notebook emitted, or None."""
    found = None
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME in data:
                found = data[MIME]
    return found


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data: dict[str, Any]) -> None:
    from storeops.publish import files

    files.write(path, json.dumps(data, ensure_ascii=False, indent=2))
