"""make bench: wall time and peak memory of each review (`storeops run daily`, weekly, replenishment,
monthly), of the hourly pace check, and of ingest, against floors, in one run.

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


def run_pace(root: Path) -> list[str]:
    """The hourly pace check at 14:00 of the last day, alerts left out (they post, they do not compute)."""
    return [str(BIN / "storeops"), "run", "pace", "--date", DAY, "--hour", "14", "--no-alerts", "--config",
            str(root / "params" / "store.yaml")]


def run_replenishment(root: Path) -> list[str]:
    return [str(BIN / "storeops"), "run", "replenishment", "--date", DAY, "--config",
            str(root / "params" / "store.yaml")]


def exported(root: Path, preset: str) -> Path:
    """The demo store's orders written as ``preset``'s export (once, cached beside the warehouse)."""
    exports = root / "exports"
    name = {"canonical_orders": "orders.csv"}.get(preset, f"{preset}.csv")
    if not (exports / name).is_file():
        subprocess.run([str(BIN / "python"), "-c", (
            "import sys; from pathlib import Path; from storeops import config, warehouse; "
            "from storeops.ingest import export, presets; c = config.load(sys.argv[1]); "
            "con = warehouse.connect(c, read_only=True); "
            "export.write(presets.all_presets(c.root)[sys.argv[3]], con, Path(sys.argv[2]), c.timezone)"),
            str(root / "params" / "store.yaml"), str(exports), preset], check=True)
    return exports / name


#: DuckDB's own read of a CSV file into a table: the reference a bulk load is measured against
DUCKDB_READ = ("import sys, duckdb; c = duckdb.connect(); "
               "c.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)\", [sys.argv[1]])")


def ingest_fresh(root: Path, path: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of `storeops ingest PATH` into a new warehouse beside ``root``'s store."""
    import shutil

    target = root / "ingest-target"
    shutil.rmtree(target, ignore_errors=True)
    (target / "params").mkdir(parents=True)
    (target / "params" / "store.yaml").write_text((root / "params" / "store.yaml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    return measure([str(BIN / "storeops"), "ingest", str(path), "--config", str(target / "params" / "store.yaml")])


def ingest_throughput(root: Path, repeat: int) -> dict:
    """Bulk-load speed: the demo's orders as a canonical CSV, a Taobao order report (GBK) and a Shopify
    export, each ingested into a fresh warehouse, against DuckDB reading the same file into a table
    (for the GBK file, a UTF-8 copy of it: DuckDB reads no GBK without an extension), measured
    side by side, with rows/s and peak memory."""
    out = {}
    print(f"\nstoreops ingest into a new warehouse vs DuckDB read_csv of the same rows: median of {repeat} runs")
    print(f"{'file':<28}{'rows':>9}{'wall s':>9}{'rows/s':>10}{'× DuckDB':>10}{'peak MB':>9}{'DuckDB s':>10}")
    for preset in ("canonical_orders", "taobao_orders", "shopify_orders"):
        path = exported(root, preset)
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            ref = path
        except UnicodeDecodeError:
            ref = path.with_suffix(".utf8.csv")
            ref.write_text(raw.decode("gb18030"), encoding="utf-8")
        rows = raw.count(b"\n") - 1
        walls, peaks, refs = [], [], []
        for _ in range(repeat):
            wall, rss = ingest_fresh(root, path)
            walls.append(wall)
            peaks.append(rss)
            refs.append(measure([str(BIN / "python"), "-c", DUCKDB_READ, str(ref)])[0])
        wall, peak, ref_wall = statistics.median(walls), statistics.median(peaks), statistics.median(refs)
        print(f"{path.name:<28}{rows:>9,}{wall:>9.2f}{rows / wall:>10,.0f}{wall / ref_wall:>10.1f}{peak:>9,.0f}"
              f"{ref_wall:>10.2f}")
        out[preset] = {"rows": rows, "wall_s": wall, "rows_per_s": rows / wall, "duckdb_s": ref_wall,
                       "ratio_to_duckdb": wall / ref_wall, "peak_mb": peak}
    out["memory"] = ingest_memory(root, repeat)
    return out


def agree(root: Path) -> str:
    """Run the two KPI-work notebooks once and say whether their figures agree (a race of two
    notebooks that computed different things would mean nothing)."""
    got = []
    for name in ("kpis_storeops", "kpis_pandas"):
        subprocess.run(run_daily(root, ROOT / "benchmarks" / f"{name}.ipynb"), check=True, capture_output=True)
        got.append(json.loads((root / "reports" / "daily" / DAY[:4] / f"daily-{DAY}.summary.json").read_text())["metrics"])
    a, b = got
    same = [k for k in a if k in b and (a[k] == b[k] or (a[k] is not None and b[k] is not None
                                                          and abs(a[k] - b[k]) <= 1e-6 * max(1, abs(a[k]))))]
    return f"figures agree: {len(same)} of {len(a)}" if len(same) == len(a) == len(b) else \
        f"FIGURES DIFFER: {sorted(set(a) ^ set(same))[:5]}"


def daily_files(root: Path, days: int = 300) -> tuple[Path, Path, int]:
    """The demo's orders of its last ``days`` days as one canonical export per day (a store's daily
    files) and as one file of the same rows (built once): (folder, file, rows)."""
    import csv

    folder, one = root / "exports" / f"daily-{days}", root / "exports" / f"last-{days}-days.csv"
    if not one.is_file():
        with exported(root, "canonical_orders").open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            at = header.index("created_at")
            by_day: dict[str, list] = {}
            for row in reader:
                by_day.setdefault(row[at][:10], []).append(row)
        folder.mkdir(parents=True, exist_ok=True)
        kept = sorted(by_day)[-days:]
        for day in kept:
            with (folder / f"orders-{day}.csv").open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([header, *by_day[day]])
        with one.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *(r for day in kept for r in by_day[day])])
    return folder, one, sum(1 for _ in one.open(encoding="utf-8")) - 1


def ingest_many_files(root: Path, repeat: int) -> dict:
    """A year of daily export files in one `storeops ingest FOLDER`, against the same rows in one file:
    what each file costs on top of its rows (opening, checking, its own accounting)."""
    folder, one, rows = daily_files(root)
    files = len(list(folder.glob("*.csv")))
    walls: dict[str, list[float]] = {"files": [], "one": []}
    for _ in range(repeat):
        for name, path in (("files", folder), ("one", one)):
            walls[name].append(ingest_fresh(root, path)[0])
    w_files, w_one = statistics.median(walls["files"]), statistics.median(walls["one"])
    print(f"\n{files} daily files ({rows:,} rows) in one storeops ingest: {w_files:.2f} s, {rows / w_files:,.0f} rows/s, "
          f"{w_files / files:.3f} s a file; the same rows in one file {w_one:.2f} s: the files reach "
          f"{w_one / w_files:.0%} of its rows/s")
    return {"files": files, "rows": rows, "wall_s": w_files, "one_file_s": w_one, "share_of_one_file": w_one / w_files}


def ingest_memory(root: Path, repeat: int) -> dict:
    """Peak memory of ingesting a Shopify export (the demo's orders in Shopify's multi-line layout),
    against the floor: the same command on a file of one order. Ingest reads in chunks, so what
    grows with the file is only the accepted rows (as Arrow columns) and the keys already seen."""
    big = exported(root, "shopify_orders")
    small = root / "exports" / "shopify_one_order.csv"
    with big.open(encoding="utf-8") as f:
        head = [next(f), next(f)]
    small.write_text("".join(head), encoding="utf-8")
    peaks: dict[str, list[float]] = {"floor": [], "file": []}
    for _ in range(repeat):
        for name, path in (("floor", small), ("file", big)):
            peaks[name].append(ingest_fresh(root, path)[1])
    floor, peak = statistics.median(peaks["floor"]), statistics.median(peaks["file"])
    mb = big.stat().st_size / 1e6
    print(f"storeops ingest {big.name} ({mb:.0f} MB): median peak {peak:,.0f} MB, floor (one order) {floor:,.0f} MB, "
          f"growth {(peak - floor) / mb:.1f}× the file")
    return {"file_mb": mb, "peak_mb": peak, "floor_mb": floor, "growth_per_file_mb": (peak - floor) / mb}


#: what a store's daily ingest loads for day D: the orders created in the 14 days to D (their status
#: moves: paid, shipped, refunded) with their lines, and the day's stock, traffic and ads
DAILY_LOAD = {"orders": "created_at", "order_items": None, "inventory": "date", "traffic": "date",
              "product_traffic": "date", "traffic_by_source": "date", "ads": "date", "cs_sessions": "started_at"}
WINDOW_DAYS = 14
GROWTH = """
import datetime as dt, sys, time
from pathlib import Path
import duckdb
from storeops import config, warehouse

fresh, grown, end, days, window, loads = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3]), \
    int(sys.argv[4]), int(sys.argv[5]), eval(sys.argv[6])
upkeep = sys.argv[7] == "upkeep"
first = end - dt.timedelta(days=days - 1)
cfg = config.load(Path(grown) / "params" / "store.yaml")
con = warehouse.connect(cfg, create=True)
db = con.con
db.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)")
for t, col in loads.items():  # the warehouse as it was a year ago
    if col:
        db.execute(f'DELETE FROM "{t}" WHERE CAST("{col}" AS DATE) >= ?', [first])
db.execute("DELETE FROM order_items WHERE order_id NOT IN (SELECT order_id FROM orders)")
db.execute("CHECKPOINT")
t0 = time.monotonic()
for i in range(days):  # then a year of daily loads, each as ingest writes it
    d = first + dt.timedelta(days=i)
    since = d - dt.timedelta(days=window - 1)
    rows = {}
    for t, col in loads.items():
        if t == "orders":
            q = f'SELECT * FROM fresh.orders WHERE CAST(created_at AS DATE) BETWEEN ? AND ?', [since, d]
        elif t == "order_items":
            q = ('SELECT i.* FROM fresh.order_items i JOIN fresh.orders o USING (order_id) '
                 'WHERE CAST(o.created_at AS DATE) BETWEEN ? AND ?', [since, d])
        else:
            q = f'SELECT * FROM fresh."{t}" WHERE CAST("{col}" AS DATE) = ?', [d]
        got = db.execute(*q).arrow()
        rows[t] = got.read_all() if hasattr(got, "read_all") else got
    warehouse.upsert_many(con, rows)
    if upkeep:  # as ingest does after each load
        t1 = time.monotonic()
        if warehouse.keep_in_order(con, list(loads)):
            print(f"day {d}: rewritten in time order in {time.monotonic() - t1:.1f}s", flush=True)
spreads = {t: round(warehouse.spread(con, t), 2) for t, col in loads.items() if col}
print(f"{days} loads in {time.monotonic() - t0:.0f}s; days spread over row groups: {spreads}", flush=True)
con.disconnect()
"""


def grown(root: Path, upkeep: bool, days: int = 365) -> Path:
    """A copy of ``root``'s store whose last ``days`` days came by daily incremental loads (built once),
    with ingest's upkeep (tables kept in time order) or without."""
    import shutil

    out = root.parent / f"{root.name}-grown{'-upkeep' if upkeep else ''}"
    done = out / "data" / "grown"  # written last: a growth cut short is built again
    if not done.is_file():
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(root / "params", out / "params")
        (out / "data").mkdir(parents=True)
        shutil.copy(root / "data" / "warehouse.duckdb", out / "data" / "warehouse.duckdb")
        print(f"growing {out.name}: {days} daily loads …", flush=True)
        p = subprocess.run([str(BIN / "python"), "-c", GROWTH, str(root / "data" / "warehouse.duckdb"), str(out),
                            END, str(days), str(WINDOW_DAYS), repr(DAILY_LOAD), "upkeep" if upkeep else "none"],
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit(f"bench: growing {out.name} failed:\n{p.stderr}")
        print("  " + "\n  ".join(p.stdout.strip().splitlines()[-6:]), flush=True)
        done.write_text(p.stdout, encoding="utf-8")
    return out


def spark_project(root: Path) -> Path | None:
    """``root``'s store read through Spark (its tables published as Parquet); None without Java or PySpark."""
    import importlib.util
    import shutil

    if shutil.which("java") is None or importlib.util.find_spec("pyspark") is None:
        print("(no Java or PySpark here: the Spark tier is left out; pip install -e '.[spark]')")
        return None
    out = root.parent / f"{root.name}-spark"
    cfg = out / "params" / "store.yaml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    text = (root / "params" / "store.yaml").read_text(encoding="utf-8")
    cfg.write_text(text.replace("  url: duckdb://data/warehouse.duckdb\n", (
        f"  url: pyspark://\n  load: duckdb://{root / 'data' / 'warehouse.duckdb'}\n"
        f"  spark: {{master: 'local[2]', tables: data/spark}}\n"), 1), encoding="utf-8")
    subprocess.run([str(BIN / "storeops"), "publish-tables", "--config", str(cfg)], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def group_project(scale: float) -> Path:
    """The demo group (storeops demo --group: three stores) at ``scale``, built once."""
    root = ROOT / "data" / "bench" / f"group-{scale:g}"
    if not (root / "params" / "group.yaml").is_file():
        print(f"building the scale-{scale:g} demo group (cached in {root}) …", flush=True)
        wall, _ = measure([str(BIN / "storeops"), "demo", "--group", str(root), "--scale", str(scale), "--end", END])
        print(f"  demo --group --scale {scale:g}: {wall:.1f}s", flush=True)
    return root


def group_tiers(scale: float) -> list[tuple[str, list[str]]]:
    """The group daily, and each of its three stores' own daily: the group's cost against theirs."""
    root = group_project(scale)
    out = [(f"group daily, scale {scale:g}", [str(BIN / "storeops"), "run", "group-daily", "--date", DAY, "--group",
                                            str(root)])]
    for store in ("tmall", "jd", "shopify"):
        out.append((f"group: {store} daily", [str(BIN / "storeops"), "run", "daily", "--date", DAY, "--config",
                                             str(root / "stores" / store / "params" / "store.yaml")]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10", help="demo scales to time (default 1,10; 100 on request)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-spark", dest="spark", action="store_false", help="leave out the Spark tier")
    ap.add_argument("--no-growth", dest="growth", action="store_false",
                    help="leave out the scale-10 store grown by a year of daily loads")
    ap.add_argument("--only", default=None, metavar="KIND,…",
                    help="only these tiers (daily, weekly, replenishment, monthly, pace, kpi, spark, group, ingest, "
                         "files), "
                         "beside the floor")
    args = ap.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    roots = {s: project(s) for s in scales}

    tiers = [("floor (empty notebook)", run_daily(roots[scales[0]], ROOT / "benchmarks" / "floor.ipynb"))]
    tiers += [(f"daily, scale {s:g}", run_daily(roots[s], ROOT / "notebooks" / "daily.ipynb")) for s in scales]
    tiers += [(f"weekly, scale {s:g}", run_weekly(roots[s])) for s in scales]
    tiers += [(f"replenishment, scale {s:g}", run_replenishment(roots[s])) for s in scales]
    tiers += [(f"monthly, scale {s:g}", run_monthly(roots[s])) for s in scales]
    tiers += [(f"pace at 14:00, scale {s:g}", run_pace(roots[s])) for s in scales]
    for s in scales:  # the daily's KPI work (6 days' KPIs, a 28-day trend) with storeops and as pandas does it
        tiers += [(f"KPI work storeops, {s:g}", run_daily(roots[s], ROOT / "benchmarks" / "kpis_storeops.ipynb")),
                  (f"KPI work pandas, {s:g}", run_daily(roots[s], ROOT / "benchmarks" / "kpis_pandas.ipynb"))]
    if args.spark and (sroot := spark_project(roots[scales[0]])):
        tiers.append((f"daily on Spark, scale {scales[0]:g}", run_daily(sroot, ROOT / "notebooks" / "daily.ipynb")))
    if not args.only or "group" in args.only:
        tiers += group_tiers(scales[0])
    if args.growth and 10 in scales:
        for upkeep in (False, True):
            tiers.append((f"daily, scale 10 grown{', kept in order' if upkeep else ''}",
                          run_daily(grown(roots[10], upkeep), ROOT / "notebooks" / "daily.ipynb")))
    if args.only:
        keep = args.only.split(",")
        tiers = tiers[:1] + [(n, c) for n, c in tiers[1:] if any(k in n.lower() for k in keep)]
    peers = {s: agree(roots[s]) for s in scales if any(n.startswith("KPI work") for n, _ in tiers)}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in tiers}
    # an untimed round first: each review finds its SQL compiled by an earlier run (storeops.sqlcache),
    # as a scheduled review does every day but the first after an upgrade
    for _, cmd in tiers:
        measure(cmd)
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
    for s, same in peers.items():
        a, b = summary[f"KPI work storeops, {s:g}"], summary[f"KPI work pandas, {s:g}"]
        print(f"the daily's KPI work at {s:g}×, over the floor: storeops {a['wall_s'] - floor_wall:.2f} s, pandas "
              f"{b['wall_s'] - floor_wall:.2f} s ({same})")
    for a, b in ((f"daily on Spark, scale {scales[0]:g}", f"daily, scale {scales[0]:g}"),
                 ("daily, scale 10 grown", "daily, scale 10"), ("daily, scale 10 grown, kept in order", "daily, scale 10")):
        if a in summary and b in summary:
            print(f"{a} / {b}: {summary[a]['wall_s'] / summary[b]['wall_s']:.2f}×")
    if f"group daily, scale {scales[0]:g}" in summary:
        own = sum(summary[f"group: {s} daily"]["wall_s"] for s in ("tmall", "jd", "shopify"))
        print(f"group daily / the sum of its 3 stores' own dailies: "
              f"{summary[f'group daily, scale {scales[0]:g}']['wall_s'] / own:.2f}×")
    if not args.only or "ingest" in args.only:
        summary["ingest"] = ingest_throughput(roots[scales[0]], args.repeat)
    if not args.only or "files" in args.only:
        summary["many_files"] = ingest_many_files(roots[scales[0]], args.repeat)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
