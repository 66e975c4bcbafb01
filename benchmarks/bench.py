"""make bench: wall time and peak memory of each review (`storeops run daily`, weekly, replenishment,
monthly), and of ingest, against floors, in one run.

The floor is the same runner (papermill + nbconvert + summary) executing and
exporting benchmarks/floor.ipynb, an empty parameterised notebook. Each tier is
run --repeat times; medians are printed with their ratio to the floor's median,
since this machine is noisy and only ratios measured together mean much.

    python benchmarks/bench.py [--scales 1,10,100] [--repeat 3]

Demo warehouses are cached in data/bench/scale-<S>/ (delete to rebuild).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
END = "2026-11-26"  # fixed, so cached warehouses stay valid
DAY = END
WEEK = "2026-W47"  # the last complete ISO week before END
MONTH = "2026-10"  # the last complete month before END


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmd`` and every process it waited for (the kernel too)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def project(scale: float) -> Path:
    """A project folder whose warehouse holds the demo store at ``scale`` (built once)."""
    root = ROOT / "data" / "bench" / f"scale-{scale:g}"
    cfg = root / "params" / "store.yaml"
    if not (root / "data" / "warehouse.duckdb").is_file():
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text((ROOT / "params" / "store.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        (root / "notebooks").mkdir(exist_ok=True)
        print(f"building the scale-{scale:g} demo store (cached in {root}) …", flush=True)
        wall, rss = measure([str(BIN / "storeops"), "demo", "--scale", str(scale), "--end", END, "--config", str(cfg)])
        print(f"  demo --scale {scale:g}: {wall:.1f}s, peak {rss:,.0f} MB", flush=True)
    return root


def run_daily(root: Path, notebook: Path) -> list[str]:
    return [str(BIN / "storeops"), "run", "daily", "--date", DAY, "--notebook", str(notebook),
            "--config", str(root / "params" / "store.yaml")]


def run_weekly(root: Path) -> list[str]:
    return [str(BIN / "storeops"), "run", "weekly", "--week", WEEK, "--config", str(root / "params" / "store.yaml")]


def run_monthly(root: Path) -> list[str]:
    return [str(BIN / "storeops"), "run", "monthly", "--month", MONTH, "--config", str(root / "params" / "store.yaml")]


def run_replenishment(root: Path) -> list[str]:
    return [str(BIN / "storeops"), "run", "replenishment", "--date", DAY, "--config",
            str(root / "params" / "store.yaml")]


def ingest_throughput(root: Path, repeat: int) -> dict:
    """Canonical-CSV ingest speed: the demo's orders written as orders.csv, ingested into a fresh warehouse."""
    import shutil

    exports = root / "exports"
    cfg = root / "params" / "store.yaml"
    if not (exports / "orders.csv").is_file():
        subprocess.run([str(BIN / "python"), "-c", (
            "import sys; from pathlib import Path; from storeops import config, warehouse; "
            "from storeops.ingest import export, presets; c = config.load(sys.argv[1]); "
            "con = warehouse.connect(c, read_only=True); "
            "export.write(presets.canonical('orders'), con, Path(sys.argv[2]), c.timezone)"), str(cfg), str(exports)],
            check=True)
    rows = sum(1 for _ in (exports / "orders.csv").open(encoding="utf-8")) - 1
    target = root / "ingest-target"
    walls = []
    for _ in range(repeat):
        shutil.rmtree(target, ignore_errors=True)
        (target / "params").mkdir(parents=True)
        (target / "params" / "store.yaml").write_text(cfg.read_text(encoding="utf-8"), encoding="utf-8")
        wall, rss = measure([str(BIN / "storeops"), "ingest", str(exports / "orders.csv"),
                             "--config", str(target / "params" / "store.yaml")])
        walls.append(wall)
    wall = statistics.median(walls)
    print(f"\nstoreops ingest orders.csv (canonical, {rows:,} rows): median {wall:.2f}s, {rows / wall:,.0f} rows/s")
    return {"rows": rows, "wall_s": wall, "rows_per_s": rows / wall, "memory": ingest_memory(root, repeat)}


def ingest_memory(root: Path, repeat: int) -> dict:
    """Peak memory of ingesting a Shopify export (the demo's orders in Shopify's multi-line layout),
    against the floor: the same command on a file of one order. Ingest reads in chunks, so what
    grows with the file is only the accepted rows (as Arrow columns) and the keys already seen."""
    import shutil

    cfg = root / "params" / "store.yaml"
    big = root / "exports" / "shopify_orders.csv"
    if not big.is_file():
        subprocess.run([str(BIN / "python"), "-c", (
            "import sys; from pathlib import Path; from storeops import config, warehouse; "
            "from storeops.ingest import export, presets; c = config.load(sys.argv[1]); "
            "con = warehouse.connect(c, read_only=True); "
            "export.write(presets.all_presets(c.root)['shopify_orders'], con, Path(sys.argv[2]), c.timezone)"),
            str(cfg), str(big.parent)], check=True)
    small = root / "exports" / "shopify_one_order.csv"
    with big.open(encoding="utf-8") as f:
        head = [next(f), next(f)]
    small.write_text("".join(head), encoding="utf-8")
    target = root / "ingest-target"
    peaks: dict[str, list[float]] = {"floor": [], "file": []}
    for _ in range(repeat):
        for name, path in (("floor", small), ("file", big)):
            shutil.rmtree(target, ignore_errors=True)
            (target / "params").mkdir(parents=True)
            (target / "params" / "store.yaml").write_text(cfg.read_text(encoding="utf-8"), encoding="utf-8")
            peaks[name].append(measure([str(BIN / "storeops"), "ingest", str(path), "--config",
                                        str(target / "params" / "store.yaml")])[1])
    floor, peak = statistics.median(peaks["floor"]), statistics.median(peaks["file"])
    mb = big.stat().st_size / 1e6
    print(f"storeops ingest {big.name} ({mb:.0f} MB): median peak {peak:,.0f} MB, floor (one order) {floor:,.0f} MB, "
          f"growth {(peak - floor) / mb:.1f}× the file")
    return {"file_mb": mb, "peak_mb": peak, "floor_mb": floor, "growth_per_file_mb": (peak - floor) / mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10", help="demo scales to time (default 1,10; 100 on request)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    roots = {s: project(s) for s in scales}

    tiers = [("floor (empty notebook)", run_daily(roots[scales[0]], ROOT / "benchmarks" / "floor.ipynb"))]
    tiers += [(f"daily, scale {s:g}", run_daily(roots[s], ROOT / "notebooks" / "daily.ipynb")) for s in scales]
    tiers += [(f"weekly, scale {s:g}", run_weekly(roots[s])) for s in scales]
    tiers += [(f"replenishment, scale {s:g}", run_replenishment(roots[s])) for s in scales]
    tiers += [(f"monthly, scale {s:g}", run_monthly(roots[s])) for s in scales]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in tiers}
    for _ in range(args.repeat):  # interleaved, so drift on a noisy machine hits every tier alike
        for name, cmd in tiers:
            results[name].append(measure(cmd))

    floor_wall = statistics.median(w for w, _ in results[tiers[0][0]])
    floor_rss = statistics.median(r for _, r in results[tiers[0][0]])
    print(f"\nstoreops run daily --date {DAY} / weekly --week {WEEK} / replenishment --date {DAY} / monthly --month "
          f"{MONTH}: median of {args.repeat} runs")
    print(f"{'tier':<26}{'wall s':>9}{'× floor':>9}{'peak MB':>10}{'× floor':>9}   (peak: the largest process, CLI or kernel)")
    summary = {}
    for name, _ in tiers:
        wall = statistics.median(w for w, _ in results[name])
        rss = statistics.median(r for _, r in results[name])
        print(f"{name:<26}{wall:>9.2f}{wall / floor_wall:>9.2f}{rss:>10.0f}{rss / floor_rss:>9.2f}")
        summary[name] = {"wall_s": wall, "wall_ratio": wall / floor_wall, "peak_mb": rss, "rss_ratio": rss / floor_rss,
                         "runs": results[name]}
    summary["ingest"] = ingest_throughput(roots[scales[0]], args.repeat)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
