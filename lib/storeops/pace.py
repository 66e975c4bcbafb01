"""The hourly pace check (实时进度): what notebooks/pace.ipynb calls.

The day so far against the same hours of like days and the day it points to (metrics.pace); what
the hour asks of the team: stock selling out today, ad spend off its pace, serious complaints and
tickets near 24 h, orders near 72 h. Figures are as of the hour (``2026-12-05T14``: paid before
14:00), from what has been loaded so far; the alert rules (params/alerts.yaml) set the lines the
sections draw, so the page and the alerts agree.

>>> ctx = storeops.pace.context("2026-12-05T14", lang="en")  # doctest: +SKIP
>>> storeops.pace.so_far(ctx)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from storeops import config as _config
from storeops import settings, warehouse
from storeops.errors import ReportError
from storeops.metrics import pace as _pace
from storeops.metrics import plan
from storeops.metrics.service import TICKET_SLA_H, open_tickets
from storeops.periods import Period
from storeops.present import formats, tables
from storeops.present.i18n import Lang, text, weekday
from storeops.present.tables import KEY, Col, Html, KpiRow
from storeops.reviews.context import ReviewContext
from storeops.reviews.kinds import moment, refuse_closed
from storeops.publish import summary as _summary
from storeops.reviews.sections import _section, glossary

__all__ = ["context", "header", "so_far", "sell_outs", "ads", "service", "shipping", "glossary", "summary"]

#: the figures of the so-far table, as the daily names them
SO_FAR = ("paid_amount", "paid_orders", "paying_buyers", "uv", "conversion")


@dataclass
class PaceContext(ReviewContext):
    """A review context for one hour of a day: the day is the period, figures are as of ``hour``."""

    hour: int = 24
    rules: dict = field(default_factory=dict)  # params/alerts.yaml's rules (publish.alerts.rules)

    @property
    def cutoff(self) -> _dt.datetime:
        return _dt.datetime.combine(self.day, _dt.time()) + _dt.timedelta(hours=self.hour)

    @property
    def margin_period(self) -> Period:
        """The 28 days before: today's few orders are no margin."""
        return Period.day(self.day - _dt.timedelta(days=1)).trailing(28)

    @cached_property
    def like_days(self) -> list[_dt.date]:
        """The days the daily compares this one with, that the data covers."""
        return [d for d in self.reference.days if self.covered(Period.day(d))]

    @cached_property
    def hours(self) -> dict[_dt.date, _pace.Hours]:
        return _pace.hourly(self.t, [self.day, *self.like_days])

    @cached_property
    def shares(self) -> list[float | None]:
        return _pace.shares([self.hours[d] for d in self.like_days])

    @cached_property
    def projection(self) -> _pace.Projection:
        return _pace.projected(self.hours, self.day, self.hour, self.like_days)


def context(report_date: str | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> PaceContext:
    """The check at ``report_date`` (``2026-12-05T14``; default: this hour, store time). A day with no
    order loaded by the hour, where its like days had some, is refused unless ``allow_incomplete``."""
    from storeops.publish import alerts

    cfg = _config.load(config or None)
    day, hour = moment(cfg, report_date)
    refuse_closed(cfg, "pace", Period.day(day))
    con = warehouse.connect(cfg, read_only=True)
    ctx = PaceContext(cfg, con, Period.day(day), lang or cfg.language, review="pace", hour=hour,
                      rules=alerts.rules(cfg))
    missing = unloaded(ctx)
    if missing and not allow_incomplete:
        con.disconnect()
        raise ReportError(missing)
    ctx.incomplete = {"orders": [day]} if missing else {}
    return ctx


def unloaded(ctx: PaceContext) -> str | None:
    """Why the day so far looks not loaded: no order by the hour where its like days had one on
    average (a quiet small shop at 02:00 is no missing load)."""
    today = ctx.hours[ctx.day].before(ctx.hour)[1]
    like = [ctx.hours[d].before(ctx.hour)[1] for d in ctx.like_days]
    if today or not like or sum(like) / len(like) < 1:
        return None
    return (f"no paid order loaded for {ctx.day} before {ctx.hour:02d}:00, where its like days had "
            f"{sum(like) / len(like):.0f} on average: load today's export first, or run with --allow-incomplete")


def header(ctx: PaceContext) -> Html:
    title = text("pace.title", ctx.lang, store=ctx.cfg.name(ctx.lang), date=f"{ctx.day} {ctx.hour:02d}:00")
    like = "、".join(f"{d:%m-%d}" for d in ctx.like_days) if ctx.lang == "zh" else \
        ", ".join(f"{d:%m-%d}" for d in ctx.like_days)
    sub = text("pace.subtitle", ctx.lang, weekday=weekday(ctx.day, ctx.lang), date=ctx.day.isoformat(),
               hour=f"{ctx.hour:02d}", tz=ctx.cfg.timezone, like=like or formats.DASH)
    banner = tables.banner(text("pace.unloaded", ctx.lang, date=ctx.day.isoformat(), hour=f"{ctx.hour:02d}")) \
        if ctx.incomplete else ""
    return Html(f'<header class="so-header"><h1>{tables.esc(title)}</h1><p class="so-sub">{tables.esc(sub)}</p>'
                f"{banner}</header>")


def so_far(ctx: PaceContext) -> Html:
    """支付进度: the day so far against the like days' same hours, the day it points to, the target."""
    from storeops.metrics import registry

    out = _section(ctx, "pace")
    amount, orders = ctx.hours[ctx.day].before(ctx.hour)
    now = {"paid_amount": amount, "paid_orders": orders, **_pace.so_far(ctx.t, ctx.day, ctx.cutoff)}
    now["conversion"] = now["paying_buyers"] / now["uv"] if now["uv"] else None
    like = [ctx.hours[d].before(ctx.hour) for d in ctx.like_days]
    ctx.lists["like_days"] = [{"day": d.isoformat(), "by_hour": float(ctx.hours[d].before(ctx.hour)[0]),
                               "whole": float(ctx.hours[d].whole[0])} for d in ctx.like_days]
    mean = {"paid_amount": sum(float(a) for a, _ in like) / len(like) if like else None,
            "paid_orders": sum(n for _, n in like) / len(like) if like else None}
    changes = {k: formats.relative_change(now[k], mean.get(k)) for k in SO_FAR}
    for k in SO_FAR:
        ctx.show(k, now[k])
    ctx.comparisons["like"] = {k: changes[k] for k in mean}
    ctx.explain("like_hours")
    out += tables.kpi_table([KpiRow(registry.get(k), now[k], (changes[k],)) for k in SO_FAR], ctx.lang,
                            "pace", ctx.colours, compared=["like"])
    p = ctx.projection
    target = plan.target(ctx.t, ctx.period, ctx.festivals, ctx.plans, ctx.calendar)
    totals = [float(ctx.hours[d].whole[0]) for d in ctx.like_days]
    figures = {"pace_projection": p.value, "pace_low": p.low, "pace_high": p.high, "like_days": p.days,
               "like_low": min(totals) if totals else None, "like_high": max(totals) if totals else None,
               "target": target, "pace_attainment": plan.attainment(p.value, target)}
    for k, v in figures.items():
        ctx.show(k, v, {"pace_low": "pace_interval", "pace_high": "pace_interval", "like_low": "like_hours",
                        "like_high": "like_hours", "like_days": "like_hours", "pace_attainment": "attainment"}.get(k))
    if p.value is None:
        return out + tables.note(text("pace.no_projection", ctx.lang))
    money = lambda v: formats.money(v, ctx.lang)  # noqa: E731
    out += tables.note(text("pace.projection", ctx.lang, value=money(p.value), low=money(p.low), high=money(p.high),
                            n=p.days, like_low=money(min(totals)), like_high=money(max(totals))))
    if p.value < min(totals):
        out += tables.note(text("pace.below", ctx.lang, value=money(p.value), like_low=money(min(totals))), "so-bad")
    if target:
        out += tables.note(text("pace.target", ctx.lang, target=money(target),
                                attainment=formats.pct(figures["pace_attainment"])))
    return out


def sell_outs(ctx: PaceContext) -> Html:
    """今日售罄预警: SKUs that sell out before tomorrow at today's pace."""
    out = _section(ctx, "pace_stock")
    if not ctx.tracks("inventory"):
        ctx.show("sell_outs", None)
        return out + ctx.gaps("inventory")
    df = _pace.sell_outs(ctx.t, ctx.day, ctx.cutoff, ctx.shares)
    ctx.show("sell_outs", len(df), "sell_out_hour")
    ctx.explain("sales_class")
    ctx.lists["sell_outs"] = [{"sku": r.sku, "title": r.title, "class": r.sales_class, "on_hand": int(r.on_hand),
                               "sold": int(r.sold), "runs_out_h": int(r.runs_out_h)} for r in df.itertuples()]
    if df.empty:
        return out + tables.note(text("pace.sell_outs_none", ctx.lang))
    shown = df.assign(sales_class=df.sales_class.map(lambda c: text(f"class.{c}", ctx.lang)),
                      runs_out=df.runs_out_h.map(lambda h: f"{int(h):02d}:00"))
    return out + tables.data_table("sell_outs", shown.head(20), [
        Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("runs_out", "sell_out_hour", priority=KEY),
        Col("sales_class", "sales_class"), Col("on_hand", "col.on_hand_morning", "int"),
        Col("sold", "col.sold_today", "int"), Col("left", "col.left", "int"),
        Col("hours_left", "col.hours_left", "int")], ctx.lang,
        row_class=(df.sales_class == "hot").map({True: "so-bad-row", False: ""}))


def ads(ctx: PaceContext) -> Html:
    """推广进度: spend so far against the day's budget and its pace; campaigns below break-even."""
    out = _section(ctx, "pace_ads")
    if not ctx.tracks("ads"):
        ctx.show("ad_cost", None)
        return out + ctx.gaps("ads")
    a = _pace.ad_spend(ctx.t, ctx.day, ctx.shares[ctx.hour])
    ctx.show("ad_cost", a["cost"])
    ctx.show("ad_budget_day", a["budget"], "ad_pace")
    ctx.show("ad_expected", a["expected"], "ad_pace")
    ctx.show("ad_pace", a["pace"])
    money = lambda v: formats.money(v, ctx.lang)  # noqa: E731
    if a["cost"] is None:
        out += tables.note(text("pace.ads_not_loaded", ctx.lang, date=ctx.day.isoformat()))
    elif a["pace"] is None:
        out += tables.note(text("pace.ads_no_budget", ctx.lang, cost=money(a["cost"])))
    else:
        limit = ctx.rules["ad_pace_pct"]
        off = limit is not None and abs(a["pace"] - 1) * 100 > limit
        out += tables.note(text("pace.ads", ctx.lang, cost=money(a["cost"]), budget=money(a["budget"]),
                                expected=money(a["expected"]), pace=formats.pct(a["pace"])), "so-bad" if off else "")
    be, _ = ctx.breakeven
    ctx.show("breakeven_roas", be)
    camp = _pace.campaigns_today(ctx.t, ctx.day)
    spend = ctx.rules["roas_min_spend"]
    below = camp[(camp.roas < be) & (camp.cost >= (spend or 0))] if be and spend is not None else camp.iloc[:0]
    ctx.lists["roas_below"] = [{"channel": r.channel, "campaign": r.campaign, "cost": float(r.cost),
                                "roas": None if pd.isna(r.roas) else float(r.roas)} for r in below.itertuples()]
    if camp.empty:
        return out
    out += tables.note(text("pace.roas_rule", ctx.lang, be=formats.value(be, "ratio", ctx.lang),
                            spend=money(spend or 0)))
    top = camp.head(20)
    return out + tables.data_table("campaigns_today", top, [
        Col("campaign", "col.campaign"), Col("cost", "ad_cost", "money", KEY), Col("roas", "roas", "ratio", KEY),
        Col("channel", "col.channel"), Col("gmv", "col.gmv", "money")], ctx.lang,
        row_class=pd.Series(top.index.isin(below.index)).map({True: "so-bad-row", False: ""}))


def service(ctx: PaceContext) -> Html:
    """客服实时: open serious complaints and their age, tickets near 24 h, today's response times so far."""
    out = _section(ctx, "pace_service")
    if not ctx.tracks("tickets"):
        for k in ("complaints_open", "tickets_near_24h", "tickets_over_24h"):
            ctx.show(k, None, "complaints_open")
        out += ctx.gaps("tickets")
    else:
        kinds = set(settings.Service.model_validate(ctx.cfg.raw.get("service") or {}).complaint_kinds)
        tk = open_tickets(ctx.t, ctx.cutoff)
        serious = tk[tk.kind.isin(kinds) | tk.severity.isin(kinds)]
        near = ctx.rules["ticket_hours_left"]
        ctx.show("complaints_open", len(serious))
        ctx.show("tickets_near_24h", int(((tk.age_h >= TICKET_SLA_H - near) & (tk.age_h < TICKET_SLA_H)).sum()),
                 "ticket_sla")
        ctx.show("tickets_over_24h", int((tk.age_h >= TICKET_SLA_H).sum()), "ticket_sla")
        ctx.lists["complaints"] = [{"ticket_id": r.ticket_id, "kind": r.kind, "age_h": round(float(r.age_h), 1)}
                                   for r in serious.itertuples()]
        out += tables.note(text("pace.tickets", ctx.lang, near=ctx.shown["tickets_near_24h"], hours=f"{near:g}",
                                over=ctx.shown["tickets_over_24h"]))
        out += tables.subheading(text("pace.complaints", ctx.lang, n=len(serious)))
        out += tables.data_table("complaints", serious.head(20), [
            Col("ticket_id", "col.ticket"), Col("age_h", "col.age_h", "hours", KEY), Col("kind", "col.kind"),
            Col("order_id", "col.order"), Col("opened_at", "col.opened_at", "datetime")], ctx.lang,
            row_class=(serious.head(20).age_h >= (ctx.rules["complaint_hours"] or 0)).map(
                {True: "so-bad-row", False: ""})) if len(serious) else tables.note(text("pace.complaints_none", ctx.lang))
    if not ctx.tracks("cs"):
        return out + ctx.gaps("cs")
    s = _pace.service_now(ctx.t, ctx.day, ctx.cutoff)
    ctx.show("chats", s["chats"], "first_response")
    ctx.show("first_response", s["first_response"])
    ctx.show("response_3min", s["response_3min"])
    return out + tables.note(text("pace.chats", ctx.lang, n=s["chats"],
                                  first=formats.value(s["first_response"], "seconds", ctx.lang),
                                  share=formats.pct(s["response_3min"])))


def shipping(ctx: PaceContext) -> Html:
    """今日发货: orders whose 72 h run out today, still unshipped; those already late."""
    out = _section(ctx, "pace_ship")
    if not ctx.tracks("shipping"):
        for k in ("ship_due_today", "ship_late", "ship_soon"):
            ctx.show(k, None, "ship_due_today")
        return out + ctx.gaps("shipping")
    due = _pace.ship_due(ctx.t, ctx.day, ctx.cutoff)
    soon = ctx.rules["ship_hours"]
    late = due[due.hours_left < 0]
    today = due[due.hours_left >= 0]
    ctx.show("ship_due_today", len(today))
    ctx.show("ship_late", len(late), "ship_due_today")
    ctx.show("ship_soon", int((today.hours_left <= soon).sum()) if soon is not None else None, "ship_due_today")
    ctx.lists["ship_soon"] = [{"order_id": r.order_id, "hours_left": round(float(r.hours_left), 1)}
                              for r in today.head(10).itertuples()]
    out += tables.note(text("pace.ship", ctx.lang, due=len(today), late=len(late), hours=f"{soon or 0:g}",
                            soon=ctx.shown["ship_soon"] or 0), "so-bad" if len(late) else "")
    if due.empty:
        return out
    due = due.assign(is_urgent=due.is_urgent.map({True: text("col.urgent", ctx.lang)}))
    return out + tables.data_table("ship_due", due.head(20), [
        Col("order_id", "col.order"), Col("hours_left", "col.hours_left", "hours", KEY),
        Col("paid_at", "col.paid_at", "datetime"), Col("is_urgent", "col.urgent")], ctx.lang,
        row_class=(due.head(20).hours_left < 0).map({True: "so-bad-row", False: ""}))


def summary(ctx: PaceContext) -> None:
    """Hand the shown figures to the runner (summary.json, with the hour): the alerts read them."""
    _summary.emit(ctx.kind, ctx.period, ctx.lang, ctx.shown, ctx.comparisons, ctx.lists, hour=ctx.hour)
