"""Mail a published report: an inline-CSS HTML digest with the full report attached.

The message is multipart/mixed: a multipart/alternative of plain text and a
multipart/related (the HTML digest and the chart it shows by CID), then the
report as an attachment; the nesting mail clients render best. The digest's HTML stays well under Gmail's ~102 KB clipping limit.

The SMTP password is read from the environment variable named in
params/email.yaml, at send time only: it is never a notebook parameter and is
never written to any output or log.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import css_inline
from storeops.config import Config, read_yaml
from storeops.errors import ConfigError, StoreopsError
from storeops.metrics import registry
from storeops.present import formats, tables
from storeops.present.i18n import text, worded
from storeops.publish import summary as _summary

DIGEST_LIMIT = 100_000  # bytes of HTML; Gmail clips a message body at about 102 KB
#: what the digest shows, in order
DIGEST_KPIS = ("paid_amount", "attainment", "paid_orders", "paying_buyers", "uv", "conversion", "atv", "ad_cost",
               "store_roas", "refund_amount")
XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS = ("hot_out", "ship_breached", "ship_at_risk", "urgent", "tickets_breached", "tickets_at_risk",
           "hot_short", "po_overdue", "oos_visited", "ads_below_breakeven", "campaigns_unpaid", "plan_missing",
           "campaigns_next", "anomalies", "replenish_urgent", "replenish_reorder")


class MailError(StoreopsError):
    """The message could not be built or sent."""


@dataclass(frozen=True)
class EmailConfig:
    path: Path
    host: str
    port: int
    tls: str
    user: str
    password_env: str
    sender: str
    recipients: dict[str, list[str]] = field(default_factory=dict)
    ops: list[str] = field(default_factory=list)
    attempts: int = 3  # a send is tried this often, waiting wait_s, then twice that, … between tries
    wait_s: float = 5.0

    def password(self) -> str | None:
        """The SMTP password from the environment, or None when no login is configured."""
        if not self.user:
            return None
        pw = os.environ.get(self.password_env)
        if not pw:
            raise MailError(f"SMTP user {self.user!r} is set in {self.path} but the environment variable "
                            f"{self.password_env} holding the password is empty")
        return pw


def load_email_config(path: str | Path | None, cfg: Config) -> EmailConfig:
    from storeops import settings

    p = Path(path) if path else cfg.root / "params" / "email.yaml"
    raw = read_yaml(p, "email settings")
    smtp = raw.get("smtp") or {}
    if "password" in smtp:
        raise ConfigError(f"{p}: smtp.password must not be in a file; name an environment variable "
                          "in smtp.password_env instead")
    settings.check(raw, settings.EmailSettings, p)
    tls = str(smtp.get("tls", "none")).lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ConfigError(f"{p}: smtp.tls must be none, starttls or ssl, not {tls!r}")
    if not raw.get("from"):
        raise ConfigError(f"{p}: 'from' (the sender address) is required")
    retry = raw.get("retry") or {}
    try:
        attempts, wait_s = max(1, int(retry.get("attempts", 3))), max(0.0, float(retry.get("wait_s", 5)))
    except (AttributeError, TypeError, ValueError):
        raise ConfigError(f"{p}: retry must be like {{attempts: 3, wait_s: 5}}, not {retry!r}") from None
    return EmailConfig(p, str(smtp.get("host", "localhost")), int(smtp.get("port", 25)), tls,
                       str(smtp.get("user") or ""), str(smtp.get("password_env", "STOREOPS_SMTP_PASSWORD")),
                       str(raw["from"]), {k: list(v or []) for k, v in (raw.get("recipients") or {}).items()},
                       list(raw.get("ops") or []), attempts, wait_s)


def summary_of(report: Path) -> dict[str, Any]:
    s = _summary.beside(report)
    if not s.is_file():
        raise MailError(f"{report}: no summary.json beside it; is this a published report?")
    data = _summary.read(s)
    if data.get("kind") == "pace":
        raise MailError(f"{report} is an hourly pace check: it is not mailed, its alerts are "
                        f"(params/alerts.yaml: mail)")
    return data


def _chart(report_html: str) -> bytes | None:
    """The trend chart of the report: the first image of its trends (daily) or day-by-day (weekly) section."""
    start = max(report_html.find('id="trends"'), report_html.find('id="days"'))
    m = re.search(r'src="data:image/png;base64,([^"]+)"', report_html[start:] if start >= 0 else report_html)
    return base64.b64decode(m.group(1)) if m else None


def _overview(report_html: str) -> str:
    """The report's own overview paragraph (概述), as plain text: the digest opens with it."""
    m = re.search(r'<p class="so-overview">(.*?)</p>', report_html, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""


def _to_order(s: dict[str, Any], lang: str, currency: str) -> tuple[str, list[str]]:
    """The replenishment digest's table: what to order from each supplier (HTML, plain lines)."""
    rows = (s.get("lists") or {}).get("suppliers") or []
    if not rows:
        return "", []
    num = ' class="num"'
    head = "".join(f"<th{num if i else ''}>{html.escape(text(k, lang))}</th>" for i, k in enumerate(
        ("col.supplier", "col.skus_to_order", "col.units", "col.order_value")))
    body, lines = [], []
    for r in rows:
        skus = f"{r['skus']}" + (f" ({text('mail.urgent_of', lang, n=r['urgent'])})" if r["urgent"] else "")
        units, value = formats.count(r["units"], lang), formats.money(r["value"], lang, currency)
        body.append(f"<tr><th>{html.escape(r['supplier'])}</th><td class=\"num\">{html.escape(skus)}</td>"
                    f"<td class=\"num\">{html.escape(units)}</td><td class=\"num\">{html.escape(value)}</td></tr>")
        lines.append(f"- {r['supplier']}: {skus}, {units}, {value}")
    title = text("mail.to_order", lang)
    return (f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{''.join(body)}</table>",
            [title + ":", *lines, ""])


def subject(cfg: Config, s: dict[str, Any]) -> str:
    """``[店铺名] 日报 2026-11-26 · 支付金额 ¥12.3万 (+4.1%)``; the change is the review's headline
    comparison (reviews.compare.HEADLINE: the same weekday last week for a daily)."""
    lang = s.get("lang", cfg.language)
    kind = text(f"{s['kind']}.kind", lang)
    period = _label(s)
    out = f"[{cfg.name(lang)}] {kind} {period}"
    m = s.get("metrics", {})
    paid = m.get("paid_amount")
    if "order_value" in m and "suggested_qty" in m:  # the replenishment table: what it asks to order
        out += " · " + text("replenishment.subject", lang, units=formats.count(m["suggested_qty"], lang),
                            value=formats.money(m["order_value"], lang, _currency(cfg, s)))
    elif paid is not None:
        change = _headline(s)[1].get("paid_amount")
        label = registry.get("paid_amount").label(lang).split(" (")[0]
        out += f" · {label} {formats.money(paid, lang, _currency(cfg, s))}"
        if change is not None:
            out += f" ({formats.change(change)})"
    return out


def _currency(cfg: Config, s: dict[str, Any]) -> str:
    """The currency a report's figures are in: as its summary says (a report mailed after the store
    changed currency keeps its own), else the store's."""
    return s.get("currency") or cfg.currency


def _label(s: dict[str, Any]) -> str:
    """What the report calls its period: 2026-11-26, 2026-W47, 2026-11."""
    from storeops.periods import Period
    from storeops.reviews.kinds import PERIOD_KIND

    start, end = (_dt.date.fromisoformat(s["period"][k]) for k in ("start", "end"))
    return Period(start, end, PERIOD_KIND.get(s["kind"], "day")).label


def _headline(s: dict[str, Any]) -> tuple[str, dict[str, float | None]]:
    """(catalog key of its label, {metric id: change}) of the comparison a report's mail quotes."""
    from storeops.reviews import compare
    from storeops.reviews.kinds import PERIOD_KIND

    kind = PERIOD_KIND[s["kind"]]
    key = compare.HEADLINE[kind]
    return f"cmp.{kind}.{key}", (s.get("comparisons") or {}).get(key, {})


def digest(cfg: Config, s: dict[str, Any], chart_cid: str | None, overview: str = "") -> tuple[str, str]:
    """(HTML with inlined CSS, plain text) of the digest: the report's overview, its action list
    headed as the review heads it, the headline KPIs (attainment where there is a target), the
    replenishment table's order per supplier, one chart."""
    lang = s.get("lang", cfg.language)
    (basis, wow), m = _headline(s), s.get("metrics", {})
    convention = tables.colours(cfg.raw, lang)  # as the report colours its changes
    rows, lines = [], []
    for k in DIGEST_KPIS:
        if k not in m:
            continue
        metric = registry.get(k)
        v = formats.value(m[k], metric.unit, lang, _currency(cfg, s))
        c = wow.get(k)
        shown = tables.trend(c, convention)
        rows.append(f'<tr><th>{html.escape(metric.label(lang))}</th><td class="num">{html.escape(v)}</td>'
                    f'<td class="num {tables.trend_class(c, metric.up_is_good, convention)}">{shown}</td></tr>')
        lines.append(f"{metric.label(lang)}: {v} ({shown})")
    acts = [(text(f"actions.{a}", lang), m.get(f"action_{a}")) for a in ACTIONS if m.get(f"action_{a}")]
    title = subject(cfg, s)
    wow_h = text(basis, lang)
    act_html = ("".join(f"<li><b>{n}</b> {tables.prose(label)}</li>" for label, n in acts)
                or f"<li>{html.escape(worded('actions.none', s['kind'], lang))}</li>")
    chart = f'<p><img src="cid:{chart_cid[1:-1]}" alt="{html.escape(text("trends.heading", lang))}" ' \
            f'width="600" style="max-width:100%;height:auto"></p>' if chart_cid else ""
    attached = text("mail.attached", lang)
    heading = worded("actions.heading", s["kind"], lang)
    order_html, order_lines = _to_order(s, lang, _currency(cfg, s))
    intro = f"<p>{html.escape(overview)}</p>" if overview else ""
    kpi_html = f"""<h2>{html.escape(text("kpis.heading", lang))}</h2>
<table><tr><th></th><th class="num">{html.escape(text("col.value", lang))}</th>
<th class="num">{html.escape(wow_h)}</th></tr>{"".join(rows)}</table>
<p class="note">{html.escape(text(f"legend.{convention}", lang))}</p>""" if rows else ""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font-family: -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2933;
       margin: 0; padding: 12px; }}
h1 {{ font-size: 18px; margin: 0 0 12px; }} h2 {{ font-size: 15px; margin: 18px 0 6px; }}
table {{ border-collapse: collapse; width: 100%; max-width: 600px; font-size: 14px; }}
th, td {{ padding: 5px 6px; border-bottom: 1px solid #e4e7eb; text-align: left; }}
.num {{ text-align: right; }} .so-good, .so-down {{ color: #15803d; }} .so-bad, .so-up {{ color: #b91c1c; }}
.so-flat {{ color: #7b8794; }}
ul {{ padding-left: 18px; margin: 0; }} li {{ margin: 3px 0; }} .note {{ color: #7b8794; font-size: 12px; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{intro}
<h2>{html.escape(heading)}</h2><ul>{act_html}</ul>
{order_html}
{kpi_html}
{chart}
<p class="note">{html.escape(attached)}</p>
</body></html>"""
    plain = "\n".join([title, "", *([overview, ""] if overview else []), heading + ":",
                       *([f"- {n} {label}" for label, n in acts] or [f"- {worded('actions.none', s['kind'], lang)}"]), "",
                       *order_lines,
                       *([text("kpis.heading", lang) + f" ({wow_h}):", *lines, ""] if rows else []), attached])
    return css_inline.inline(page), plain


def _addresses(values: list[str]) -> list[str]:
    bad = [v for v in values if "@" not in v]
    if bad:
        raise MailError(f"not an email address: {', '.join(bad)}")
    return values


def build_message(cfg: Config, ecfg: EmailConfig, report: Path, to: list[str],
                  corrected: bool = False) -> EmailMessage:
    """The digest with the chart inline and the full report attached; ``corrected``: a report mailed
    before and published again since, its subject says so."""
    s = summary_of(report)
    page = report.read_text(encoding="utf-8")
    png = _chart(page)
    cid = make_msgid(domain="storeops.local") if png else None
    body_html, body_text = digest(cfg, s, cid, _overview(page))
    if len(body_html.encode()) > DIGEST_LIMIT:
        raise MailError(f"digest of {report.name} is {len(body_html.encode()):,} bytes, over {DIGEST_LIMIT:,}")
    msg = EmailMessage()
    lang = s.get("lang", cfg.language)
    msg["Subject"] = (text("mail.corrected", lang) if corrected else "") + subject(cfg, s)
    msg["From"] = ecfg.sender
    msg["To"] = ", ".join(_addresses(to))
    msg.set_content(body_text)
    msg.add_alternative(body_html, subtype="html")
    if png:
        msg.get_payload()[1].add_related(png, maintype="image", subtype="png", cid=cid,
                                         filename="trend.png", disposition="inline")
    msg.add_attachment(page, subtype="html", charset="utf-8", cte="base64", disposition="attachment",
                       filename=report.name)
    book = report.with_name(report.name.removesuffix(".html") + ".xlsx")
    if book.is_file():  # the replenishment table's workbook, for purchasing
        msg.add_attachment(book.read_bytes(), maintype="application", subtype=XLSX, filename=book.name)
    return msg


def failure_notice(cfg: Config, ecfg: EmailConfig, kind: str, period: str, error: str) -> EmailMessage:
    """A short notice for the ops address: which report failed, where, and where its notebook is kept."""
    lang = cfg.language
    msg = EmailMessage()
    msg["Subject"] = f"[{cfg.name(lang)}] {text(f'{kind}.kind', lang)} {period} · {text('mail.failed', lang)}"
    msg["From"] = ecfg.sender
    msg["To"] = ", ".join(_addresses(ecfg.ops))
    msg.set_content(f"{text('mail.failed_body', lang, kind=kind, period=period)}\n\n{error}\n")
    return msg


class Unconfirmed(MailError):
    """The message was handed over but the server never confirmed it: it may have arrived, so it
    is neither retried nor queued (a reader must not get it twice)."""


def send(ecfg: EmailConfig, msg: EmailMessage, timeout: float = 30) -> None:
    """Deliver ``msg`` over SMTP as configured. Reaching the server and logging in are tried
    ``ecfg.attempts`` times with growing waits (a refused login is not: it will not get better);
    once the message is handed over it is never sent again. Errors name the server and the user,
    never the password."""
    password = ecfg.password()
    where = f"{ecfg.host}:{ecfg.port}"
    for attempt in range(1, ecfg.attempts + 1):
        try:
            smtp = _connect(ecfg, password, timeout)
            break
        except smtplib.SMTPAuthenticationError as e:
            raise MailError(f"could not log in to {where} as {ecfg.user!r}: the server refused the password in "
                            f"${ecfg.password_env} ({e.smtp_code})") from None
        except UnicodeEncodeError:
            raise MailError(f"could not log in to {where} as {ecfg.user!r}: the password in ${ecfg.password_env} "
                            f"has characters an SMTP login cannot carry (non-ASCII)") from None
        except (OSError, smtplib.SMTPException) as e:
            reason = str(e).replace(password, "***") if password else str(e)
            if attempt == ecfg.attempts:
                raise MailError(f"could not send via {where} after {attempt} tries: {type(e).__name__}: "
                                f"{reason}") from None
            time.sleep(ecfg.wait_s * 2 ** (attempt - 1))
    try:
        with smtp:
            smtp.send_message(msg)
    except smtplib.SMTPResponseException as e:  # the server answered no: nothing was delivered
        raise MailError(f"{where} refused the message: {e.smtp_code} {e.smtp_error!r}") from None
    except (OSError, smtplib.SMTPException) as e:
        raise Unconfirmed(f"{where} did not confirm the message ({type(e).__name__}): it may have arrived") \
            from None


def _connect(ecfg: EmailConfig, password: str | None, timeout: float) -> smtplib.SMTP:
    if ecfg.tls == "ssl":
        smtp = smtplib.SMTP_SSL(ecfg.host, ecfg.port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(ecfg.host, ecfg.port, timeout=timeout)
    try:
        if ecfg.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if password is not None:
            smtp.login(ecfg.user, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def recipients(ecfg: EmailConfig, kind: str, to: list[str] | None) -> list[str]:
    out = list(to or ecfg.recipients.get(kind) or [])
    if not out:
        raise MailError(f"no recipients for {kind!r}: add them under recipients.{kind} in {ecfg.path} or pass --to")
    return out

