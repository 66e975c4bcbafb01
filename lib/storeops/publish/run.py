"""``storeops run``: execute a review notebook for a period and publish its outputs.

reports/<kind>/<YYYY>/<kind>-<period>.html, beside it the executed .ipynb and
<kind>-<period>.summary.json. On failure: the executed notebook is kept, no
HTML or summary is left for that period, and a ReportError says which cell failed.

The kernel starts as soon as the run knows its report (publish.kernel), before this module loads
what checks the data and exports the page: those are imported where they are used.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from dataclasses import dataclass, replace
from pathlib import Path

from storeops import resources
from storeops.config import Config
from storeops.errors import AlreadyRunning, ReportError, StoreopsError
from storeops.present.i18n import text
from storeops.periods import Period
from storeops.publish import files, kernel, summary
from storeops.publish.summary import outputs
from storeops.reviews.kinds import refuse_closed, resolve

KINDS = ("daily", "weekly", "replenishment", "monthly")
#: a group folder's reviews (storeops.group): its stores added up
GROUP_KINDS = ("group-daily", "group-weekly", "group-monthly")
#: what `run_report` makes: the reviews, the group reviews, and the hourly pace check (publish.hourly)
REPORTS = (*KINDS, *GROUP_KINDS, "pace")
#: what every review notebook's `parameters` cell declares (tests/test_notebooks.py checks)
PARAMETERS = ("report_date", "config", "lang", "allow_incomplete")


@dataclass(frozen=True)
class RunResult:
    html: Path
    notebook: Path
    summary: Path
    metrics: dict
    #: files published beside the report for its readers (the replenishment table's workbook)
    extra: tuple[Path, ...] = ()
    #: what the reader of the command's output should know (a mail not sent again)
    note: str = ""


def run_report(cfg: Config, kind: str, *, period: Period | str | _dt.date | None = None, lang: str | None = None,
               notebook: str | Path | None = None, allow_incomplete: bool = False,
               ahead: kernel.Ahead | None = None) -> RunResult:
    """Execute ``notebooks/<kind>.ipynb`` for ``period`` (a day, ``2026-W47``…; default the last
    complete one) and publish it. ``ahead``: its kernel, started already (:func:`start_kernel`).

    Before executing, the freshness guard: a period with a day without orders or traffic is
    refused (ReportError, nothing published) unless ``allow_incomplete``, which publishes with
    a banner naming what is missing.
    """
    if ahead is None:
        p, label, *_ = _report(cfg, kind, period, lang, notebook)
        period = label if kind == "pace" else p  # settled once: a run over midnight makes one report
        with start_kernel(cfg, kind, period=period, lang=lang, notebook=notebook) as ahead:
            return run_report(cfg, kind, period=period, lang=lang, notebook=notebook,
                              allow_incomplete=allow_incomplete, ahead=ahead)
    import nbformat

    from storeops import spark
    from storeops.present import formats
    from storeops.publish import execute, export

    p, label, lang, nb_path = _report(cfg, kind, period, lang, notebook)
    if kind != "pace":  # the day so far is judged by its notebook's context (storeops.pace.unloaded)
        _guard(cfg, kind, p, allow_incomplete)
    html_path, nb_out, summary_path = _outputs(cfg, kind, p, label, lang)
    nb_out.parent.mkdir(parents=True, exist_ok=True)
    book = html_path.with_name(html_path.name.removesuffix(".html") + ".xlsx")
    for stale in (html_path, summary_path, nb_out, book):
        stale.unlink(missing_ok=True)  # a failed re-run must not leave the old report looking current

    params = dict(zip(PARAMETERS, (label, str(cfg.path), lang, allow_incomplete)))
    # from the store folder, wherever the notebook is
    execute.execute(nb_path, nb_out, params, cwd=cfg.root, timeout=timeout_s(cfg, kind), log=ahead.log,
                    ahead=ahead, polite=spark.is_spark(cfg.warehouse_url))
    nb = nbformat.read(nb_out, as_version=4)
    data = summary.extract(nb)
    if data is None:
        raise ReportError(f"{nb_path.name} ran but emitted no summary (storeops.{kind}.summary(ctx) missing?); "
                          f"executed notebook kept at {nb_out}", notebook=str(nb_out))
    shown = f"{label.replace('T', ' ')}:00" if kind == "pace" else label  # 2026-12-05 14:00
    title = text(f"{kind}.title", lang, store=cfg.name(lang), date=shown)
    footer = text("footer", lang, currency=cfg.currency, symbol=formats.symbol(cfg.currency))
    page = export.to_html(nb, title=title, lang="zh-CN" if lang == "zh" else "en", footer=footer,
                          toc=text("toc", lang))
    extra = _extra(cfg, kind, p, lang, allow_incomplete, html_path)
    try:  # all whole or none: the archive and the mail pair a report with its summary (and workbook)
        for path, content in extra.items():
            files.write(path, content)
        files.write(html_path, page)
        summary.write(summary_path, data)
    except ReportError as e:
        for path in (html_path, *extra):
            path.unlink(missing_ok=True)
        raise ReportError(f"{e}; nothing published, executed notebook kept at {nb_out}", notebook=str(nb_out)) \
            from None
    return RunResult(html_path, nb_out, summary_path, data["metrics"], tuple(extra))


def start_kernel(cfg: Config, kind: str, *, period: Period | str | _dt.date | None = None, lang: str | None = None,
                 notebook: str | Path | None = None) -> kernel.Ahead:
    """The kernel for a ``kind`` report of ``period``, started now, importing the report's modules
    while the command checks the data (publish.kernel); for :func:`run_report`, whose arguments
    are checked here first (a report that cannot run starts no kernel)."""
    p, label, lang, _ = _report(cfg, kind, period, lang, notebook)
    log = cfg.reports_dir / ".logs" / f"{_outputs(cfg, kind, p, label, lang)[1].stem}.kernel.log"
    module = "storeops." + kind.replace("-", ".")  # group-daily: storeops.group.daily
    # settings: the models the first cell's config.load checks store.yaml with (0.1 s to build)
    modules = (module, "storeops.settings") + (() if kind in ("pace", "replenishment") else ("storeops.present.charts",))
    return kernel.Ahead(kernel.NAME, cfg.root, log, modules)


def early_kernel(cfg: Config, kind: str, p: Period | str, lang: str | None, notebook
                 ) -> contextlib.AbstractContextManager[kernel.Ahead | None]:
    """:func:`start_kernel`, to hold in a ``with`` (which ends it), or None where it cannot start:
    run_report then tries again and says why where a run's failures are said (runs.jsonl, the ops
    notice)."""
    try:
        return start_kernel(cfg, kind, period=p, lang=lang, notebook=notebook)
    except Exception:  # noqa: BLE001 — raised again, in its place, by run_report
        return contextlib.nullcontext()


def _report(cfg: Config, kind: str, period, lang: str | None, notebook) -> tuple[Period, str, str, Path]:
    """(period, label, language, notebook) of a report, or the one line why there is none."""
    if kind not in REPORTS:
        raise ReportError(f"unknown report kind {kind!r}; known: {', '.join(REPORTS)}")
    p, label = _period(cfg, kind, period)
    refuse_closed(cfg, kind, p)
    nb_path = Path(notebook) if notebook else resources.notebook(cfg.root, kind)
    if not nb_path.is_file():
        raise ReportError(f"notebook {nb_path} not found")
    return p, label, lang or cfg.language, nb_path


def _outputs(cfg: Config, kind: str, p: Period, label: str, lang: str) -> tuple[Path, Path, Path]:
    return outputs(cfg, kind, label, p.start.year if kind == "pace" else int(label[:4]), lang)


def _period(cfg: Config, kind: str, period) -> tuple[Period, str]:
    """The period a report covers and its label: a review's (resolve), or the pace check's day and
    hour (``2026-12-05T14``)."""
    if kind != "pace":
        p = resolve(kind, cfg, period)
        return p, p.label
    from storeops.reviews import kinds

    day, hour = kinds.moment(cfg, period)
    return Period.day(day), kinds.label(day, hour)


def _extra(cfg: Config, kind: str, p: Period, lang: str, allow_incomplete: bool, html_path: Path) -> dict[Path, bytes]:
    """What a kind publishes beside its report: the replenishment table as an Excel workbook for
    purchasing, from the same library function and data as the notebook's table."""
    if kind != "replenishment":
        return {}
    from storeops import replenishment, warehouse

    try:
        content = warehouse.isolated(cfg, replenishment.workbook_for, cfg, p.start, lang, allow_incomplete)
    except Exception as e:  # the report ran; a workbook that cannot be made must not pass unseen
        raise ReportError(f"the replenishment workbook could not be made: {type(e).__name__}: {e}") from None
    return {html_path.with_name(html_path.name.removesuffix(".html") + ".xlsx"): content}


def timeout_s(cfg: Config, kind: str) -> int:
    """The longest one cell of a ``kind`` report may run: ``reports.timeout_s`` in store.yaml, a number
    or one per kind (``{daily: 600, monthly: 1800}``); a hanging cell ends the run as a failure."""
    from storeops.errors import ConfigError
    from storeops.publish import execute

    t = (cfg.raw.get("reports") or {}).get("timeout_s", execute.TIMEOUT_S)
    try:
        return int(t.get(kind, execute.TIMEOUT_S) if isinstance(t, dict) else t)
    except (TypeError, ValueError):
        raise ConfigError(f"{cfg.path}: reports.timeout_s must be seconds (600) or per kind ({{daily: 600}}), "
                          f"not {t!r}") from None


def _guard(cfg: Config, kind: str, period: Period, allow_incomplete: bool) -> dict:
    """Refuse a period the data does not cover (one line, nothing run); returns what it lacks (for a
    group review: the stores left out, by store), which ``allow_incomplete`` publishes with a banner."""
    from storeops import warehouse
    from storeops.reviews.context import incomplete_message

    if kind in GROUP_KINDS:  # each store's data, named by store
        from storeops.group import context as group

        return group.refusals(cfg, kind, period, allow_incomplete)
    missing = warehouse.isolated(cfg, _missing, cfg, kind, period)
    if missing and not allow_incomplete:
        raise ReportError(incomplete_message(missing, period))
    return missing


def _missing(cfg: Config, kind: str, period: Period) -> dict:
    from storeops import warehouse
    from storeops.reviews.context import missing_for

    con = warehouse.connect(cfg, read_only=True)
    try:
        return missing_for(kind, con, period, cfg.calendar)
    finally:
        con.disconnect()


def _publish_stores(cfg: Config, kind: str, p: Period, allow_incomplete: bool) -> None:
    """Each store's own review of ``p`` that is not published yet, for a group review to link: after the
    group's own refusals (a store without its data, a rate missing), so a group refused publishes
    nothing; a store closed that day or left out (``allow_incomplete``) has none to publish."""
    from storeops.present import formats

    base, left_out = kind.removeprefix("group-"), _guard(cfg, kind, p, allow_incomplete)
    for m in cfg.members:
        if m.key in left_out or not m.cfg.calendar.trading_days(p) or \
                outputs(m.cfg, base, p.label, int(p.label[:4]), m.cfg.language)[0].is_file():
            continue
        formats.set_currency(m.cfg.currency)  # its archive writes money in its own currency
        try:
            publish(m.cfg, base, period=p)
        finally:
            formats.set_currency(cfg.currency)


def publish(cfg: Config, kind: str, *, period: Period | str | _dt.date | None = None, lang: str | None = None,
            notebook: str | Path | None = None, allow_incomplete: bool = False, send: bool = False,
            to: list[str] | None = None, email_config: str | Path | None = None, force: bool = False,
            stores: bool = False) -> RunResult:
    """Run a report as the scheduler does: under its lock, logged to runs.jsonl, the archive
    rebuilt, and with ``send`` mailed. A failed report is never mailed; the ops address
    (if configured) gets a short notice instead, and the error is raised. A published report
    whose mail could not go out is queued (publish.outbox) and the error raised. With ``stores``, a
    group review first publishes each store's own review of the period that is not published yet
    (not mailed: each store mails its own), so the group's links lead somewhere."""
    from storeops.publish import manifest

    if kind not in (*KINDS, *GROUP_KINDS):
        raise ReportError(f"unknown report kind {kind!r}; known: {', '.join((*KINDS, *GROUP_KINDS))}")
    p = resolve(kind, cfg, period)
    refuse_closed(cfg, kind, p)  # a day the shop is shut: one line, nothing published (errors.Closed)
    period = {"start": p.start.isoformat(), "end": p.end.isoformat()}
    params = {"report_date": p.label, "lang": lang or cfg.language, "allow_incomplete": allow_incomplete,
              "notebook": str(notebook) if notebook else None, "send": send, "to": to, "config": str(cfg.path)}
    start = manifest.now()
    # a group's stores run first: its own kernel would wait for them
    with (contextlib.nullcontext() if stores else early_kernel(cfg, kind, p, lang, notebook)) as ahead:
        from storeops.publish import archive, mail, outbox, sent

        ecfg = mail.load_email_config(email_config, cfg) if send else None  # bad mail settings: fail before running
        if stores and kind in GROUP_KINDS:
            _publish_stores(cfg, kind, p, allow_incomplete)
        try:
            with manifest.lock(cfg, kind, p.label):
                result = run_report(cfg, kind, period=p, lang=lang, notebook=notebook,
                                    allow_incomplete=allow_incomplete, ahead=ahead)
                archive.build(cfg)
        except AlreadyRunning as e:  # the other run makes (and mails) it: this one stands aside, nobody is told
            manifest.append(cfg, kind=kind, period=period, parameters=params, start=start, status="skipped",
                            error=str(e))
            raise
        except StoreopsError as e:
            failed(cfg, e, kind=kind, period=period, label=p.label, parameters=params, start=start, ecfg=ecfg)
            raise
    published = [str(result.html), str(result.notebook), str(result.summary), *map(str, result.extra)]
    if ecfg:
        to = mail.recipients(ecfg, kind, to)
        try:
            sent.send_once(cfg, ecfg, result.html, to, force)
            outbox.discard(cfg, result.html)  # an earlier failed send of this report is done with now
        except sent.AlreadySent as e:  # a re-run by hand: published again, not mailed again
            outbox.discard(cfg, result.html)
            result = replace(result, note=str(e))
        except mail.Unconfirmed as e:
            error = f"{kind} {p.label} is published; {e}"
            manifest.append(cfg, kind=kind, period=period, parameters=params, start=start, status="failed",
                            outputs=published, error=error)
            raise mail.Unconfirmed(error) from None
        except mail.MailError as e:
            queued = outbox.put(cfg, result.html, to, str(e))
            error = (f"{kind} {p.label} is published but was not mailed: {e}; queued as {queued.name}: the next "
                     f"`storeops run due --send` or `storeops send --queued` delivers it")
            manifest.append(cfg, kind=kind, period=period, parameters=params, start=start, status="failed",
                            outputs=published, error=error)
            raise mail.MailError(error) from None
    manifest.append(cfg, kind=kind, period=period, parameters=params, start=start, status="ok", outputs=published)
    return result


def failed(cfg: Config, e: StoreopsError, *, kind: str, period: dict, label: str, parameters: dict, start: str,
           ecfg=None) -> None:
    """Record a run that failed (runs.jsonl, with the notebook it kept) and, when mail is on and it is
    the store's fault rather than the command's (a report, the reports folder, the warehouse), tell ops."""
    from storeops.errors import WarehouseError
    from storeops.publish import mail, manifest

    kept = [e.notebook] if isinstance(e, ReportError) and e.notebook else []
    manifest.append(cfg, kind=kind, period=period, parameters=parameters, start=start, status="failed",
                    outputs=kept, error=str(e))
    if ecfg and ecfg.ops and isinstance(e, (ReportError, WarehouseError)):
        try:
            mail.send(ecfg, mail.failure_notice(cfg, ecfg, kind, label, str(e)))
        except StoreopsError as notice_error:
            raise ReportError(f"{e}; and the failure notice could not be sent: {notice_error}") from None
