"""``storeops run due``: what is due on a day, run in turn, never stopping at the first failure.

The daily for D−1 every day, the weekly on Mondays for the week before, the
replenishment table on Thursdays, the monthly on the 1st for the month before.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from storeops.config import Config
from storeops.periods import ONE_DAY, Period


@dataclass(frozen=True)
class Due:
    kind: str
    period: Period | None


def due_on(day: _dt.date) -> list[Due]:
    """The reports due on ``day`` (a run on the morning of ``day``)."""
    out = [Due("daily", Period.day(day - ONE_DAY))]
    if day.weekday() == 0:
        out.append(Due("weekly", Period(day - _dt.timedelta(days=7), day - ONE_DAY, "week")))
    if day.weekday() == 3:
        out.append(Due("replenishment", Period.day(day)))
    if day.day == 1:
        out.append(Due("monthly", Period.month_of(day - ONE_DAY)))
    return out


@dataclass(frozen=True)
class Outcome:
    kind: str
    period: Period | None
    status: str  # ok | skipped | failed
    detail: str


def run_due(cfg: Config, day: _dt.date, *, send: bool = False, email_config: str | None = None) -> list[Outcome]:
    """Run every report due on ``day``; each failure is recorded and the others still run. Mail
    queued by an earlier run goes first. One ``run due`` at a time: a second (cron overlapping a
    slow run) is refused; the lock dies with its holder."""
    from storeops.errors import NotWritable
    from storeops.publish import mail, manifest, run

    start = manifest.now()
    try:
        with manifest.lock(cfg, "run", "due"):
            return (_queued(cfg, email_config) if send else []) + _run(cfg, day, send, email_config)
    except NotWritable as e:  # nothing due can run: one record, one notice, not one per report
        run.failed(cfg, e, kind="due", period={"start": day.isoformat(), "end": day.isoformat()},
                   label=day.isoformat(), parameters={"send": send}, start=start,
                   ecfg=mail.load_email_config(email_config, cfg) if send else None)
        raise


def _queued(cfg: Config, email_config: str | None) -> list[Outcome]:
    from storeops.errors import StoreopsError
    from storeops.publish import mail, outbox

    if not outbox.pending(cfg):
        return []
    try:
        delivered = outbox.deliver(cfg, mail.load_email_config(email_config, cfg))
    except StoreopsError as e:  # the reports due still run
        return [Outcome("queued mail", None, "failed", str(e))]
    return [Outcome("queued mail", None, "failed" if d.error else "skipped" if d.skipped else "ok",
                    d.error or d.skipped or f"sent {d.report}") for d in delivered]


def _mailed(cfg: Config, d: Due, email_config: str | None) -> str | None:
    """Whether the report ``d`` is published and went to its readers already: what to say if so."""
    from storeops.errors import StoreopsError
    from storeops.publish import mail, run, sent

    try:
        to = mail.recipients(mail.load_email_config(email_config, cfg), d.kind, None)
    except StoreopsError:
        return None  # the run says what is wrong with the mail settings
    html = run.outputs(cfg, d.kind, d.period.label, int(d.period.label[:4]), cfg.language)[0]
    seen = sent.already(cfg, html, to) if html.is_file() else None
    if not seen:
        return None
    if seen.get("confirmed", True):
        return f"{html.name} was published and mailed at {seen['sent_at']}: not again"
    return (f"{html.name} was published and handed to the mail server at {seen['sent_at']}, which did not confirm "
            f"it: not again (if it did not arrive: `storeops send {html} --force`)")


def _run(cfg: Config, day: _dt.date, send: bool, email_config: str | None) -> list[Outcome]:
    from storeops.errors import Closed, StoreopsError
    from storeops.progress import progress
    from storeops.publish import run

    outcomes = []
    for d in progress(due_on(day), f"due {day}", unit="report"):
        done = _mailed(cfg, d, email_config) if send else None
        if done:  # published and mailed already (by hand, or by the queue just now): not twice
            outcomes.append(Outcome(d.kind, d.period, "skipped", done))
            continue
        try:
            result = run.publish(cfg, d.kind, period=d.period, send=send, email_config=email_config)
            outcomes.append(Outcome(d.kind, d.period, "ok", str(result.html)))
        except Closed as e:  # the shop was shut that day: nothing to review, nothing failed
            outcomes.append(Outcome(d.kind, d.period, "skipped", str(e)))
        except StoreopsError as e:
            outcomes.append(Outcome(d.kind, d.period, "failed", str(e)))
    return outcomes

