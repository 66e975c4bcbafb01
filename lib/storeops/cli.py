"""The storeops command: ``storeops demo | ingest | publish-tables | run | send | index | check | plan |
settings | columns``.

Every command takes ``--config`` (default ``params/store.yaml``). Errors a user
can act on print one line and exit 1; a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from storeops import config as _config
from storeops.errors import Closed, StoreopsError


def _positive(kind):
    def check(s: str):
        try:
            v = kind(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {s!r}") from None
        if v <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {s}")
        return v

    return check


def _date(s: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {s!r}") from None


def _load(args: argparse.Namespace, group: bool = False):
    """The settings a command serves: a group's (--group DIR, or a group review's nearest
    params/group.yaml), else the store's (--config)."""
    if group or getattr(args, "group", None):
        from storeops.group import config as gconfig

        return gconfig.load(getattr(args, "group", None) or getattr(args, "config", None))
    return _config.load(args.config)


def _cmd_demo(args: argparse.Namespace) -> int:
    from storeops import demo, spark, warehouse

    if args.group:
        return _demo_group(args)
    cfg = _config.load(args.config)
    if args.today and args.end:
        raise StoreopsError("give --end or --today, not both")
    now = _dt.datetime.now(ZoneInfo(cfg.timezone)).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    end = now.date() if args.today else args.end or cfg.yesterday()
    con = warehouse.connect(cfg, create=True)
    t0 = time.monotonic()
    counts = demo.generate(con, days=args.days, seed=args.seed, scale=args.scale, end=end, force=args.force)
    if args.today:  # today as it stands at this hour: `storeops run pace` reads it
        from storeops import demo_today

        demo_today.cut(con, now)
    print(f"demo store: {args.days} days to {end}" + (f" {now:%H}:00" if args.today else "")
          + f", seed {args.seed}, scale {args.scale:g} -> {warehouse.resolve_url(cfg)} ({time.monotonic() - t0:.1f}s)")
    for name, n in counts.items():
        print(f"  {name:<20} {n:>12,} rows")
    if args.as_exports:
        from pathlib import Path

        from storeops.ingest import export, presets

        available = presets.all_presets(cfg.root)
        names = args.formats.split(",") if args.formats else [p for p in available if p.startswith("canonical_")]
        unknown = [n for n in names if n not in available]
        if unknown:
            raise StoreopsError(f"unknown preset(s) {', '.join(unknown)}; known: {', '.join(sorted(available))}")
        for n in names:
            print(f"  wrote {export.write(available[n], con, Path(args.as_exports), cfg.timezone)}")
    _print_published(spark.publish_after_load(cfg, con))
    con.disconnect()
    return 0


def _demo_group(args: argparse.Namespace) -> int:
    from storeops.group import demo as gdemo

    if args.today or args.as_exports or args.seed != 7:
        raise StoreopsError("--group builds the demo group's three stores: --today, --as-exports and --seed are "
                            "for one store")
    t0 = time.monotonic()
    print(f"demo group: 3 stores, {args.days} days to {args.end or gdemo.end_day()} -> {Path(args.group).resolve()}")
    path = gdemo.build(Path(args.group), days=args.days, scale=args.scale, end=args.end)
    print(f"{path} ({time.monotonic() - t0:.1f}s)")
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from storeops import ingest

    cfg = _config.load(args.config)
    done, refused = ingest.ingest_paths(cfg, [Path(p) for p in args.paths], preset=args.preset,
                                        dry_run=args.dry_run)
    for r in done:
        print(r.summary())
    for e in refused:
        print(f"storeops ingest: refused {e}", file=sys.stderr)
    total = sum(r.rows_read for r in done)
    skipped = sum(r.rows_skipped for r in done)
    print(f"{len(done)} file(s): read {total}, accepted {sum(r.rows_accepted for r in done)}, "
          f"rejected {sum(r.rows_rejected for r in done)}" + (f", skipped {skipped}" if skipped else "")
          + f"; {len(refused)} file(s) refused")
    from storeops import spark

    if done and not args.dry_run and spark.is_spark(cfg.warehouse_url):  # bring the Parquet folders up to date
        from storeops import warehouse

        con = warehouse.connect(cfg)
        try:
            _print_published(spark.publish_after_load(cfg, con))
        finally:
            con.disconnect()
    return 1 if refused else 0


def _cmd_publish_tables(args: argparse.Namespace) -> int:
    from storeops import spark, warehouse

    cfg = _config.load(args.config)
    dest = Path(args.dir) if args.dir else spark.settings(cfg).tables
    if dest is None:
        raise StoreopsError("name the folder to write (warehouse.spark reads a catalog database, not a folder)")
    con = warehouse.connect(cfg)
    try:
        _print_published(spark.publish(con, dest), dest)
    finally:
        con.disconnect()
    return 0


def _print_published(done, dest=None) -> None:
    if done:
        print(f"published to {dest or 'the Spark tables'}: {sum(p.written for p in done)} file(s) written, "
              f"{sum(p.unchanged for p in done)} unchanged, {sum(p.removed for p in done)} removed; "
              f"{sum(p.rows for p in done):,} rows in {len(done)} tables")


def _cmd_run(args: argparse.Namespace) -> int:
    from storeops.publish import due, run

    grouped = args.kind in run.GROUP_KINDS
    if (args.group or args.stores) and not grouped:
        raise StoreopsError(f"--group and --stores are for the group reviews ({', '.join(run.GROUP_KINDS)}), "
                            f"not {args.kind}")
    cfg = _load(args, grouped)
    base = args.kind.removeprefix("group-")
    if args.week and base != "weekly":
        raise StoreopsError(f"--week is for the weekly review, not {args.kind}")
    if args.month and base != "monthly":
        raise StoreopsError(f"--month is for the monthly review, not {args.kind}")
    if sum(map(bool, (args.week, args.month, args.date))) > 1:
        raise StoreopsError("give one of --date, --week, --month")
    if (args.hour is not None or args.no_alerts) and args.kind != "pace":
        raise StoreopsError(f"--hour and --no-alerts are for the pace check, not {args.kind}")
    if args.hourly and args.kind != "due":
        raise StoreopsError("--hourly is for `run due`")
    if args.kind == "pace" or args.hourly:
        if args.send or args.to or args.force:
            raise StoreopsError("the pace check is not mailed: its alerts go where params/alerts.yaml says")
        return _run_pace(cfg, args)
    if args.kind == "due":
        day = args.date or cfg.today()
        failed = 0
        for o in due.run_due(cfg, day, send=args.send, email_config=args.email_config):
            print(f"{o.kind:<14} {o.period or '-'}  {o.status:<7} {o.detail}", file=sys.stderr if o.status == "failed" else sys.stdout)
            failed += o.status == "failed"
        return 1 if failed else 0
    period = args.week or args.month or args.date
    if base in ("weekly", "monthly") and args.date:
        from storeops.periods import Period

        period = (Period.week_of if base == "weekly" else Period.month_of)(args.date)
    try:
        result = run.publish(cfg, args.kind, period=period, lang=args.lang, notebook=args.notebook,
                             allow_incomplete=args.allow_incomplete, send=args.send, to=args.to,
                             email_config=args.email_config, force=args.force, stores=args.stores)
    except Closed as e:  # not a failure: the shop did not trade
        print(e)
        return 0
    if result.note:
        print(result.note, file=sys.stderr)
    print(result.html)
    return 0


def _run_pace(cfg, args: argparse.Namespace) -> int:
    from storeops.publish import hourly

    at = None
    if args.hourly:
        why = hourly.hourly_due(cfg)
        if why:
            print(why)
            return 0
    elif args.date or args.hour is not None:
        from storeops.reviews import kinds

        at = kinds.label(args.date or cfg.today(), args.hour if args.hour is not None else 24)
    try:
        done = hourly.publish_pace(cfg, at, lang=args.lang, notebook=args.notebook,
                                   allow_incomplete=args.allow_incomplete, email_config=args.email_config,
                                   alert=not args.no_alerts)
    except Closed as e:
        print(e)
        return 0
    print(done.result.html)
    posted = sum(d.ok for d in done.deliveries)
    if done.raised:
        print(f"alerts: {len(done.raised)} raised ({', '.join(done.raised)}); {posted} post(s) made now")
    for p in done.problems:
        print(f"storeops run pace: not delivered: {p}", file=sys.stderr)
    return 1 if done.problems else 0


def _cmd_send(args: argparse.Namespace) -> int:
    from pathlib import Path

    from storeops.publish import mail, sent

    cfg = _load(args)
    if args.queued:
        from storeops.publish import outbox

        results = outbox.deliver(cfg, mail.load_email_config(args.email_config, cfg))
        for d in results:
            line = (f"not sent again {d.report.name}: {d.skipped}" if d.skipped else
                    f"sent {d.report.name}" if d.error is None else f"not sent {d.report.name}: {d.error}")
            print(line, file=sys.stdout if d.error is None else sys.stderr)
        unsure = [d for d in results if d.unconfirmed]
        print(f"{sum(d.error is None and not d.skipped for d in results)} queued report(s) sent, "
              f"{sum(d.error is not None and not d.unconfirmed for d in results)} still queued"
              + (f", {len(unsure)} unconfirmed (kept in {outbox.folder(cfg)} as .unconfirmed, never retried: "
                 "ask a reader whether it arrived; if not, `storeops send REPORT --force` sends it)" if unsure else ""))
        return 1 if any(d.error for d in results) else 0
    if not args.report:
        raise mail.MailError("name a report to send, or --queued for those whose mail failed earlier")
    report = Path(args.report)
    if not report.is_file():
        raise mail.MailError(f"{report}: no such report")
    ecfg = mail.load_email_config(args.email_config, cfg)
    kind = mail.summary_of(report)["kind"]
    to = mail.recipients(ecfg, kind, args.to)
    sent.send_once(cfg, ecfg, report, to, args.force)
    from storeops.publish import outbox

    outbox.discard(cfg, report)  # sent by hand: the queue must not send it again
    print(f"sent {report.name} to {', '.join(to)}")
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from storeops.publish import archive

    print(archive.build(_load(args)))
    return 0


def _cmd_columns(args: argparse.Namespace) -> int:
    from storeops import schema

    print(schema.reference())
    return 0


def _cmd_settings(args: argparse.Namespace) -> int:
    from storeops import settings

    print(settings.reference())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from storeops import warehouse

    cfg = _config.load(args.config)
    con = warehouse.connect(cfg, read_only=True)
    warehouse.verify(cfg, con)
    fresh = warehouse.freshness(con)
    for f in fresh:
        print(f"{f.table:<20} {f.rows:>12,} rows  latest {f.latest or '-'}")
    _print_loaded(con)
    _print_zero_and_quiet(cfg, con, next((f.latest for f in fresh if f.table == "orders"), None))
    _print_coverage(con, next((f.latest for f in fresh if f.table == "orders"), None) or cfg.yesterday())
    return 0


def _print_loaded(con) -> None:
    """What ingest read over all loads: every row accepted, rejected or skipped on purpose."""
    if "ingest_log" not in con.list_tables():
        return
    log = con.table("ingest_log")
    per_file = log.select("ingested_at", "file_hash", "rows_read", "rows_accepted", "rows_rejected",
                          log.rows_skipped.fill_null(0).name("rows_skipped")).distinct()
    n, read, accepted, rejected, skipped = con.execute(per_file.aggregate(
        n=per_file.count(), read=per_file.rows_read.sum(), accepted=per_file.rows_accepted.sum(),
        rejected=per_file.rows_rejected.sum(), skipped=per_file.rows_skipped.sum())).iloc[0].tolist()
    if n:
        print(f"  ingest: {n:,} file load(s) read {read:,} rows, accepted {accepted:,}, rejected {rejected:,}, "
              f"skipped {skipped:,} by presets' skip rules")


def _print_zero_and_quiet(cfg, con, latest: _dt.date | None) -> None:
    """0-amount orders (in no figure), and days without orders that the store calendar may be missing."""
    from storeops import warehouse
    from storeops.metrics import coverage

    t = warehouse.Tables(con)
    zero = coverage.zero_amount_orders(t)
    if zero:
        print(f"  {zero:,} orders paid for 0 (stock adjustments, tests, samples): no sale and no buyer in any figure")
    if latest is None:
        return
    weekdays, runs = coverage.quiet_days(t, cfg.calendar, latest)
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    if weekdays:
        listed = ", ".join(names[w] for w in weekdays)
        print(f"  no orders on {listed} for {coverage.QUIET_WEEKS}+ weeks: if the shop closes then, add to "
              f"{cfg.path}: calendar: {{closed_weekdays: [{listed}]}}")
    for a, b in runs:
        span = f"{a}..{b}" if a != b else f"{a}"
        print(f"  no orders {span} ({(b - a).days + 1} days): if the shop was closed, add \"{span}\" to calendar.closed "
              f"in {cfg.path}")


def _print_coverage(con, day: _dt.date) -> None:
    """What the data tracks around ``day`` (the rules the reports apply), and how full each column is."""
    from storeops import warehouse
    from storeops.metrics import coverage
    from storeops.periods import Period

    t = warehouse.Tables(con)
    p = Period.day(day)
    w = coverage.window(p)
    print(f"\ncoverage, {w.start} to {w.end} (what the reports judge; untracked figures show as —):")
    for key, ok in coverage.tracked(t, p).items():
        print(f"  {key:<16} {'tracked' if ok else 'NOT tracked: load ' + coverage.RULES[key].load}")
    print("\ncolumns that may be empty, share filled over the same days:")
    for table, col, rows, filled in coverage.column_fill(t, p):
        if rows:
            print(f"  {table + '.' + col:<34} {filled / rows:>7.1%}  ({filled:,} of {rows:,})")


def _cmd_plan(args: argparse.Namespace) -> int:
    from storeops import targets

    if args.group:
        return _plan_group(args)
    cfg = _config.load(args.config)
    if bool(args.month) == bool(args.quarter):
        raise StoreopsError("give --month YYYY-MM or --quarter YYYY-Qn")
    if args.quarter:
        if args.target is None:
            raise StoreopsError("a quarter's plan needs --target (the quarter's GMV target)")
        written = targets.make_quarter(cfg, args.quarter, args.target, args.force)
    else:
        try:
            month = _dt.date.fromisoformat(args.month + "-01")
        except ValueError:
            raise StoreopsError(f"{args.month!r} is no month: expected YYYY-MM") from None
        written = [targets.make(cfg, month, args.target, args.force)]
    for p in written:
        print(p)
    return 0


def _plan_group(args: argparse.Namespace) -> int:
    from storeops.group import plan

    if args.quarter or not args.month:
        raise StoreopsError("a group's plan is made a month at a time: give --month YYYY-MM")
    try:
        month = _dt.date.fromisoformat(args.month + "-01")
    except ValueError:
        raise StoreopsError(f"{args.month!r} is no month: expected YYYY-MM") from None
    for p in plan.make(_load(args), month, args.target, args.force):
        print(p)
    return 0


def _amount(v: str):
    import decimal

    try:
        d = decimal.Decimal(v.replace(",", ""))
    except decimal.InvalidOperation:
        raise argparse.ArgumentTypeError(f"{v!r} is no amount") from None
    if not d.is_finite() or d < 0:
        raise argparse.ArgumentTypeError(f"{v!r} is no amount ≥ 0")
    return d


def _cmd_init(args: argparse.Namespace) -> int:
    if args.group:
        from storeops.group import folder as made
    else:
        from storeops import folder as made
    made.init(Path(args.folder), notebooks=args.notebooks)
    print(made.next_steps(Path(args.folder)))
    return 0


def _group_arg(c: argparse.ArgumentParser) -> None:
    c.add_argument("--group", default=None, metavar="DIR",
                   help="a group folder (storeops init --group) instead of a store's; default for the group "
                        "reviews: the nearest params/group.yaml")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="storeops", description="The operations review workbook for online stores.")
    sub = p.add_subparsers(dest="command", required=True)

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        c.add_argument("--config", default=None, help="store settings (default: params/store.yaml)")
        return c

    d = cmd("demo", "build the demo store's warehouse")
    d.add_argument("--days", type=_positive(int), default=730, help="days of history (default 730)")
    d.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    d.add_argument("--scale", type=_positive(float), default=1.0, help="multiplies order volume (default 1)")
    d.add_argument("--end", type=_date, default=None, help="last day (default: yesterday, store time)")
    d.add_argument("--today", action="store_true",
                   help="end with today so far, up to this hour (store time): for `storeops run pace`")
    d.add_argument("--force", action="store_true", help="replace a warehouse that holds non-demo orders")
    d.add_argument("--group", default=None, metavar="DIR",
                   help="build the demo group in DIR instead: three stores (Tmall and JD in CNY, Shopify in USD)")
    d.add_argument("--as-exports", metavar="DIR", default=None,
                   help="also write the store as export files into DIR (canonical CSV, one per table)")
    d.add_argument("--formats", default=None, metavar="PRESET,…",
                   help="with --as-exports: which formats (e.g. taobao_orders,shopify_orders); default canonical")
    d.set_defaults(func=_cmd_demo)

    g = cmd("ingest", "load platform exports into the warehouse, with exact accounting of every row")
    g.add_argument("paths", nargs="+", help="export files (CSV or XLSX) or folders of them (a marketplace dump's "
                                            "files load together as its bundle); put -- before a name that starts "
                                            "with -, as in: storeops ingest -- -orders.csv")
    g.add_argument("--preset", default=None, help="the format (default: picked by the header)")
    g.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    g.set_defaults(func=_cmd_ingest)

    r = cmd("run", "execute a review notebook and publish its HTML")
    r.add_argument("kind", choices=["daily", "weekly", "replenishment", "monthly", "pace", "due", "group-daily",
                                    "group-weekly", "group-monthly"],
                   help="which review; `group-…`: a group's stores added up (--group); "
                        "`pace`: the day so far, for cron every hour; `due`: everything due on "
                        "--date (default today): the daily for the day before, the weekly on Mondays, "
                        "replenishment on Thursdays, the monthly on the 1st (with --hourly: the pace check, in "
                        "calendar.hours of a trading day)")
    r.add_argument("--date", type=_date, default=None,
                   help="report day (default: yesterday, store time); with `due`, the day of the run; with "
                        "`weekly` / `monthly`, the week / month holding it; with `replenishment`, the day of the "
                        "stock count "
                        "(default: today)")
    r.add_argument("--week", default=None, metavar="YYYY-Www",
                   help="the ISO week of a weekly review, e.g. 2026-W47 (default: the last complete week)")
    r.add_argument("--month", default=None, metavar="YYYY-MM",
                   help="the month of a monthly review, e.g. 2026-11 (default: the last complete month)")
    r.add_argument("--hour", type=int, default=None, choices=range(1, 25), metavar="1-24",
                   help="with `pace`: figures as of this hour:00 of --date (default: this hour, store time)")
    r.add_argument("--hourly", action="store_true", help="with `due`: the pace check, if one is due now")
    r.add_argument("--no-alerts", action="store_true", help="with `pace`: publish without posting alerts")
    r.add_argument("--lang", choices=["zh", "en"], default=None, help="report language (default: store.yaml)")
    r.add_argument("--notebook", default=None, help="run this notebook instead of notebooks/<kind>.ipynb")
    r.add_argument("--allow-incomplete", action="store_true",
                   help="publish even when orders or traffic (for replenishment: the stock count) are missing, "
                        "with a warning banner")
    r.add_argument("--send", action="store_true", help="mail the report (params/email.yaml); a failed one never is")
    r.add_argument("--force", action="store_true",
                   help="mail it even to readers who had it already (a corrected report says so in its subject)")
    r.add_argument("--to", nargs="+", default=None, help="recipients instead of those in email.yaml")
    r.add_argument("--email-config", default=None, help="mail settings (default: params/email.yaml)")
    _group_arg(r)
    r.add_argument("--stores", action="store_true",
                   help="with a group review: first publish each store's own review of the period, where it is "
                        "not published yet (not mailed)")
    r.set_defaults(func=_cmd_run)

    s = cmd("send", "mail a published report: an HTML digest with the full report attached")
    s.add_argument("report", nargs="?", help="the report's .html (its summary.json must be beside it)")
    s.add_argument("--queued", action="store_true",
                   help="deliver the reports whose mail failed earlier (reports/.outbox), each once")
    s.add_argument("--to", nargs="+", default=None, help="recipients instead of those in email.yaml")
    s.add_argument("--force", action="store_true", help="send it even to readers who had it already")
    s.add_argument("--email-config", default=None, help="mail settings (default: params/email.yaml)")
    _group_arg(s)
    s.set_defaults(func=_cmd_send)

    i = cmd("index", "rebuild reports/index.html, the archive of published reports")
    _group_arg(i)
    i.set_defaults(func=_cmd_index)

    n = sub.add_parser("init", help="write a new store folder", description="write a new store folder: "
                       "params/store.yaml, email.yaml, sources/ (and with --notebooks the notebooks to customise)")
    n.add_argument("folder", help="the store folder (created if missing)")
    n.add_argument("--notebooks", action="store_true", help="also copy the review notebooks to customise")
    n.add_argument("--group", action="store_true", help="a group folder: params/group.yaml listing store folders")
    n.set_defaults(func=_cmd_init)

    pt = cmd("publish-tables", "write the warehouse's tables as Parquet for the Spark target (a folder per "
                               "table, a file per month; only changed months are rewritten); ingest does it itself "
                               "when the reports read Spark")
    pt.add_argument("dir", nargs="?", default=None, help="where (default: warehouse.spark.tables)")
    pt.set_defaults(func=_cmd_publish_tables)

    c = cmd("check", "show each table's rows and latest date, and what the data tracks")
    c.set_defaults(func=_cmd_check)
    st = sub.add_parser("settings", help="print the reference of every settings file's keys (the README's)",
                        description="print the reference of every settings file's keys, as the README shows it")
    st.set_defaults(func=_cmd_settings)
    co = sub.add_parser("columns", help="print every canonical table and column a preset maps to (the README's)",
                        description="print every canonical table and column: type, whether required, what it "
                                    "means to the figures and what an empty one does")
    co.set_defaults(func=_cmd_columns)
    pl = cmd("plan", "write the sales plan of a month (or a quarter's months) as params/targets/YYYY-MM.csv, "
                     "one target per day, for the GM to edit; the daily and weekly take their targets from it")
    pl.add_argument("--month", default=None, metavar="YYYY-MM")
    pl.add_argument("--quarter", default=None, metavar="YYYY-Qn")
    pl.add_argument("--target", type=_amount, default=None,
                    help="the GMV target to split (default for a month: the targets table's)")
    pl.add_argument("--force", action="store_true", help="replace a plan file that exists (and your edits in it)")
    _group_arg(pl)
    pl.set_defaults(func=_cmd_plan)
    return p


def main(argv: list[str] | None = None) -> int:
    # jsonschema, which nbformat imports, builds the grammar of an optional IRI format checker as it is
    # imported when rfc3987_syntax is installed (JupyterLab's server brings it): most of a second of
    # every run, for a format no notebook schema has. The command goes without it: importing it fails.
    sys.modules.setdefault("rfc3987_syntax", None)
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreopsError as e:
        print(f"storeops {args.command}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # a damaged block found while reading: the one line, not a traceback
        from storeops import warehouse

        if not warehouse.is_damage(e):
            raise
        print(f"storeops {args.command}: {warehouse.damage_found(_config.load(args.config), e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"storeops {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
