"""Alerts from the hourly pace check: params/alerts.yaml says what raises one (``rules``) and where
it goes (``channels``: chat robots, publish.chat; ``mail``: addresses, over params/email.yaml's
server). An alert is raised from the figures the published pace report shows (its summary.json),
so an alert never says what the page does not; each fires once per day and key (reports/.alerts.json).

>>> raised(summary, rules(cfg), cfg, "reports/pace/latest.html")  # doctest: +SKIP
{'pace:below': Message(title='…', lines=('The day points to ¥8,100, below …',), link='…')}
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from storeops.config import Config, read_yaml
from storeops.present import formats
from storeops.present.i18n import text
from storeops.publish import chat
from storeops.publish.chat import Delivery, Message


def path(cfg: Config) -> Path:
    return cfg.root / "params" / "alerts.yaml"


def _settings(cfg: Config):
    """params/alerts.yaml checked against its schema (a misspelt rule is refused, never ignored; the
    wrong value is not quoted: the file may hold a webhook's key), as the schema reads it; without
    the file: the documented defaults, no channel."""
    from storeops import settings

    p = path(cfg)
    raw = read_yaml(p, "alert settings") if p.is_file() else {}
    settings.check(raw, settings.AlertSettings, p, quote=False)
    return settings.AlertSettings.model_validate(raw)


def rules(cfg: Config) -> dict[str, Any]:
    """The rules with their defaults filled in."""
    return _settings(cfg).rules.model_dump()


@dataclass(frozen=True)
class MailTo:
    """Alerts by mail: a channel like a chat robot, over the store's mail server."""

    to: tuple[str, ...]
    email_config: str | None = None
    kind: str = "mail"

    @property
    def name(self) -> str:
        return f"mail ({len(self.to)} recipient{'s' if len(self.to) != 1 else ''})"


def channels(cfg: Config, email_config: str | None = None) -> list[chat.Channel | MailTo]:
    s = _settings(cfg)
    out: list[chat.Channel | MailTo] = chat.channels(s.channels, f"{path(cfg)}: channels")
    if s.mail:
        out.append(MailTo(tuple(s.mail), email_config))
    return out


def link(cfg: Config, report: Path) -> str:
    """Where a reader of an alert opens the report: ``link`` in alerts.yaml with {path} (the report's
    path under the reports folder), else the file's own path."""
    template = _settings(cfg).link
    rel = report.relative_to(cfg.reports_dir).as_posix() if report.is_relative_to(cfg.reports_dir) else str(report)
    return template.format(path=rel) if template else str(report)


def raised(s: dict[str, Any], r: dict[str, Any], cfg: Config, where: str) -> dict[str, Message]:
    """{key: message} for each rule of ``r`` the pace summary ``s`` crosses. Keys name what crossed
    (a SKU, a ticket, a campaign), so a new one alerts and the same one not again that day."""
    lang, m, lists = s.get("lang", cfg.language), s["metrics"], s.get("lists", {})
    money = lambda v: formats.money(v, lang)  # noqa: E731
    hour = s.get("hour", 24)
    lines: dict[str, str] = {}
    like_low, value = m.get("like_low"), m.get("pace_projection")
    if r["below_interval"] and value is not None and like_low is not None and value < like_low:
        lines["pace:below"] = text("alert.below", lang, value=money(value), like_low=money(like_low),
                                   so_far=money(m.get("paid_amount")), hour=f"{hour:02d}")
    if r["sell_out"] != "off":
        for row in lists.get("sell_outs", []):
            if r["sell_out"] == "any" or row["class"] == "hot":
                lines[f"sell_out:{row['sku']}"] = text(
                    "alert.sell_out", lang, title=row["title"] or row["sku"], sku=row["sku"],
                    cls=text(f"class.{row['class']}", lang), at=f"{row['runs_out_h']:02d}:00",
                    on_hand=row["on_hand"], sold=row["sold"])
    pace = m.get("ad_pace")
    if r["ad_pace_pct"] is not None and pace is not None and abs(pace - 1) * 100 > r["ad_pace_pct"]:
        side = "over" if pace > 1 else "under"
        lines[f"ads:{side}"] = text(f"alert.ad_{side}", lang, cost=money(m.get("ad_cost")),
                                    expected=money(m.get("ad_expected")), pace=formats.pct(pace))
    for row in lists.get("roas_below", []):
        lines[f"roas:{row['channel']}/{row['campaign']}"] = text(
            "alert.roas", lang, channel=row["channel"], campaign=row["campaign"], cost=money(row["cost"]),
            roas=formats.value(row["roas"], "ratio", lang), be=formats.value(m.get("breakeven_roas"), "ratio", lang))
    if r["complaint_hours"] is not None:
        for row in lists.get("complaints", []):
            if row["age_h"] >= r["complaint_hours"]:
                lines[f"complaint:{row['ticket_id']}"] = text("alert.complaint", lang, ticket=row["ticket_id"],
                                                              kind=row["kind"], age=f"{row['age_h']:g}")
    soon = [row for row in lists.get("ship_soon", []) if r["ship_hours"] is not None and row["hours_left"] <= r["ship_hours"]]
    if soon and m.get("ship_soon"):
        # one alert a day: the count grows through the day, the page has the orders
        lines["ship:72h"] = text("alert.ship", lang, n=m["ship_soon"], hours=f"{r['ship_hours']:g}",
                                 order=soon[0]["order_id"], left=f"{soon[0]['hours_left']:g}")
    title = text("alert.title", lang, store=cfg.name(lang), date=f"{s['period']['start']} {hour:02d}:00")
    return {k: Message(title, (line,), where) for k, line in lines.items()}


def post(c: chat.Channel | MailTo, m: Message, cfg: Config, **how) -> Delivery:
    """Deliver ``m`` to one channel: a chat robot (chat.deliver), or mail."""
    if not isinstance(c, MailTo):
        return chat.deliver(c, m, **how)
    from storeops.errors import StoreopsError
    from storeops.publish import mail

    try:
        ecfg = mail.load_email_config(c.email_config, cfg)
        msg = EmailMessage()
        msg["Subject"] = m.title
        msg["From"] = ecfg.sender
        msg["To"] = ", ".join(c.to)
        msg.set_content("\n".join([*m.lines, "", m.link or ""]))
        mail.send(ecfg, msg)
    except StoreopsError as e:
        return Delivery(c.name, False, 1, f"{c.name}: {e}")
    return Delivery(c.name, True, 1)


def fire(cfg: Config, alerts: dict[str, Message], day: _dt.date, email_config: str | None = None,
         **how) -> list[Delivery]:
    """Post each alert not yet posted today (chat.fire's state) to every configured channel."""
    to = channels(cfg, email_config)
    if not to or not alerts:
        return []
    retry = _settings(cfg).retry
    how = {"tries": retry.tries, "backoff": retry.wait_s, **how}
    return chat.fire(alerts, to, cfg.reports_dir / ".alerts.json", day,
                     post=lambda c, m: post(c, m, cfg, **how))
