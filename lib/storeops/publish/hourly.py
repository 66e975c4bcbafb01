"""``storeops run pace`` and ``storeops run due --hourly``: the pace check published as the scheduler
does (under its lock, logged to runs.jsonl), the latest also at reports/pace/latest.html, then its
alerts posted (publish.alerts). A channel that is down does not unpublish the report: the run is
recorded with what could not be delivered, and the command says so.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from storeops.config import Config
from storeops.errors import AlreadyRunning, StoreopsError
from storeops.publish.chat import Delivery
from storeops.publish.run import RunResult


@dataclass(frozen=True)
class PaceResult:
    result: RunResult
    latest: object  # reports/pace/latest.html
    raised: list[str] = field(default_factory=list)  # alert keys the report crossed (new or not)
    deliveries: list[Delivery] = field(default_factory=list)  # posts made this run (new alerts only)

    @property
    def problems(self) -> list[str]:
        return [d.problem or d.channel for d in self.deliveries if not d.ok]


def publish_pace(cfg: Config, at=None, *, lang: str | None = None, notebook=None, allow_incomplete: bool = False,
                 email_config: str | None = None, alert: bool = True, **how) -> PaceResult:
    """Publish the check at ``at`` (``2026-12-05T14``; default this hour) and post its new alerts."""
    from storeops.publish import files, manifest, run
    from storeops.reviews.kinds import label as label_of, moment

    day, hour = moment(cfg, at)
    label = label_of(day, hour)
    period = {"start": day.isoformat(), "end": day.isoformat()}
    params = {"report_date": label, "lang": lang or cfg.language, "allow_incomplete": allow_incomplete,
              "notebook": str(notebook) if notebook else None, "config": str(cfg.path)}
    start = manifest.now()
    with run.early_kernel(cfg, "pace", label, lang, notebook) as ahead:
        from storeops.publish import alerts, archive, summary

        if alert:
            alerts.channels(cfg, email_config)  # a channel's missing secret: refused before the run, not after
        try:
            with manifest.lock(cfg, "pace", label):
                result = run.run_report(cfg, "pace", period=label, lang=lang, notebook=notebook,
                                        allow_incomplete=allow_incomplete, ahead=ahead)
                latest = cfg.reports_dir / "pace" / ("latest.html" if (lang or cfg.language) == cfg.language
                                                     else f"latest.{lang}.html")
                if _newest(result.html):  # a check re-run for an earlier hour is no "latest"
                    files.write(latest, result.html.read_bytes())
                archive.build(cfg)  # it links the latest check
        except AlreadyRunning as e:
            manifest.append(cfg, kind="pace", period=period, parameters=params, start=start, status="skipped",
                            error=str(e))
            raise
        except StoreopsError as e:
            run.failed(cfg, e, kind="pace", period=period, label=label, parameters=params, start=start)
            raise
    raised, deliveries = {}, []
    if alert:
        raised = alerts.raised(summary.read(result.summary), alerts.rules(cfg), cfg, alerts.link(cfg, result.html))
        deliveries = alerts.fire(cfg, raised, day, email_config, **how)
    out = PaceResult(result, latest, sorted(raised), deliveries)
    manifest.append(cfg, kind="pace", period=period, parameters=params, start=start, status="ok",
                    outputs=[str(result.html), str(result.notebook), str(result.summary), str(latest)],
                    error="; ".join(out.problems) or None,
                    alerts={"raised": out.raised, "posted": [d.channel for d in deliveries if d.ok]})
    return out


def _newest(page) -> bool:
    """Whether ``page`` (pace-2026-12-05T14[.en].html) is the latest check published in its language."""
    name = page.name  # pace- + 2026-12-05T14 + .html or .en.html: the label sorts as time does
    peers = page.parent.parent.glob(f"*/pace-*{name[18:]}")
    return all(p.name <= name for p in peers if p.name[18:] == name[18:])


def hourly_due(cfg: Config, now: _dt.datetime | None = None) -> str | None:
    """Why no pace check is due now (a closed day, outside calendar.hours), or None: it is due. The
    clock at 00:xx checks the day just ended as its hour 24 (reviews.kinds.moment)."""
    from storeops import settings
    from storeops.reviews.kinds import moment

    day, hour = moment(cfg, now or _dt.datetime.now(ZoneInfo(cfg.timezone)))
    first, last = settings.Calendar.model_validate(cfg.raw.get("calendar") or {}).hours
    if not cfg.calendar.is_open(day):
        return f"{day}: the store is closed (calendar in {cfg.path}); no pace check"
    if not first <= hour <= last:
        return f"{hour:02d}:00 is outside calendar.hours ({first}–{last}); no pace check"
    return None
