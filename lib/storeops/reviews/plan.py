"""The plan sections of the monthly review: attainment (the month by category, quarter and year to
date, the online share) and next month's plan, written as the plan file the GM may edit."""

from __future__ import annotations

import datetime as _dt
import decimal

import pandas as pd

from storeops import targets
from storeops.metrics import plan
from storeops.periods import Period
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import Col, Html
from storeops.reviews.context import ReviewContext
from storeops.reviews.sections import category_sales


def _to_date(ctx: ReviewContext, first: _dt.date) -> dict[str, float | None]:
    """Paid amount, target and attainment from ``first`` to the period's end."""
    p = Period(first, ctx.period.end, "custom")
    paid = float(plan.daily_paid(ctx.t, p).sum())
    tgt = plan.target(ctx.t, p, ctx.festivals, ctx.plans, ctx.calendar)
    return {"paid": paid, "target": tgt, "attainment": plan.attainment(paid, tgt)}


def attainment(ctx: ReviewContext) -> Html:
    """计划与达成: the month's target and attainment by category, quarter and year to date, and
    the online share of the company's sales where store.yaml gives them."""
    lang, p = ctx.lang, ctx.period
    out = tables.section("attainment", lang, "attainment", ctx.kind)
    quarter = p.start.replace(month=3 * ((p.start.month - 1) // 3) + 1)
    rows = [("col.month", {"paid": float(ctx.values(p)["paid_amount"] or 0), "target": ctx.target,
                           "attainment": plan.attainment(ctx.values(p)["paid_amount"], ctx.target)}),
            ("col.qtd", _to_date(ctx, quarter)), ("col.ytd", _to_date(ctx, p.start.replace(month=1)))]
    ctx.show("attainment", rows[0][1]["attainment"])
    ctx.show("qtd_attainment", rows[1][1]["attainment"])
    ctx.show("ytd_attainment", rows[2][1]["attainment"])
    df = pd.DataFrame([{"what": text(k, lang), **v} for k, v in rows])
    out += tables.data_table("attainment", df, [Col("what", "col.period"), Col("paid", "paid_amount", "money"),
                                                Col("target", "col.target", "money"),
                                                Col("attainment", "attainment", "rate")], lang)
    tg = ctx.t.targets
    cats = tg.filter((tg.month == p.start) & (tg.category != "*")).select("category", "gmv_target").execute()
    out += tables.subheading(text("attainment.by_category", lang))
    if cats.empty:
        out += tables.note(text("attainment.no_categories", lang))
    else:
        sold = category_sales(ctx, p)[["category", "paid_amount"]]
        cats = cats.merge(sold, on="category", how="left").fillna({"paid_amount": 0.0})
        cats["gmv_target"] = cats.gmv_target.astype(float)
        cats["attainment"] = cats.paid_amount / cats.gmv_target.where(cats.gmv_target > 0)
        cats = cats.sort_values(["gmv_target", "category"], ascending=[False, True])
        out += tables.data_table("attainment_by_category", cats, [
            Col("category", "col.category"), Col("gmv_target", "col.target", "money"),
            Col("paid_amount", "paid_amount", "money"), Col("attainment", "attainment", "rate")], lang)
    company = ((ctx.cfg.raw.get("plan") or {}).get("company_sales") or {}).get(p.label)
    if company:
        share = float(rows[0][1]["paid"]) / float(company)
        ctx.show("online_share", share)
        out += tables.note(text("attainment.online_share", lang, share=formats.pct(share),
                                company=formats.money(float(company), lang)))
    return out


def next_month(ctx: ReviewContext) -> Html:
    """下月计划: next month's target split into days (and weeks) by weekday profile and last year's
    shape, festival aware; the quarter's remaining target; written to params/targets/<YYYY-MM>.csv
    unless that file exists (the GM's edits are never overwritten)."""
    lang = ctx.lang
    nxt = Period.month_of(ctx.period.end + _dt.timedelta(days=1))
    out = tables.section("next_month", lang, "next_month", ctx.kind)
    days = plan.day_targets(ctx.t, nxt.start, ctx.festivals, ctx.plans, ctx.calendar)
    if days is None:
        return out + tables.note(text("next_month.no_target", lang, month=nxt.label), "so-gap")
    if nxt.start in ctx.plans:
        out += tables.note(text("next_month.kept", lang, month=nxt.label))
        table = plan.month_target(ctx.t, nxt.start)
        if table is not None and table != sum(days):  # the targets table moved since the file was made
            out += tables.note(text("next_month.differs", lang, file=formats.money(sum(days), lang),
                                    table=formats.money(table, lang)), "so-gap")
    else:
        targets.write(ctx.cfg, nxt.start, days)
        ctx.plans[nxt.start] = days
        out += tables.note(text("next_month.written", lang, month=nxt.label))
    total = sum(days, decimal.Decimal(0))
    ctx.shown["next_month_target"] = total
    df = pd.DataFrame({"date": list(days.index), "target": [float(v) for v in days]})
    df["week"] = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in df.date]
    weeks = df.groupby("week", sort=True).agg(start=("date", "min"), end=("date", "max"), target=("target", "sum"))
    out += tables.note(text("next_month.total", lang, month=nxt.label, total=formats.money(total, lang)))
    quarter_months = [Period.month_of(_dt.date(nxt.start.year, 3 * ((nxt.start.month - 1) // 3) + 1 + i, 1))
                      for i in range(3)]
    q_days = [plan.day_targets(ctx.t, m.start, ctx.festivals, ctx.plans, ctx.calendar) for m in quarter_months]
    if all(d is not None for d in q_days):
        q_target = float(sum(sum(d) for d in q_days))
        end = min(ctx.period.end, quarter_months[-1].end)  # before the quarter begins, nothing is done yet
        paid = float(plan.daily_paid(ctx.t, Period(quarter_months[0].start, end, "custom")).sum()) \
            if end >= quarter_months[0].start else 0.0
        ctx.shown["quarter_remaining_target"] = round(q_target - paid, 2)
        out += tables.note(text("next_month.quarter", lang, target=formats.money(q_target, lang),
                                paid=formats.money(paid, lang), left=formats.money(q_target - paid, lang)))
    out += tables.data_table("next_month_weeks", weeks.reset_index(), [
        Col("week", "col.week"), Col("start", "col.start", "date"), Col("end", "col.end", "date"),
        Col("target", "col.target", "money")], lang)
    df["weekday"] = [text("weekday", lang).split()[d.weekday()] for d in df.date]
    return out + tables.data_table("next_month_days", df, [Col("date", "col.date", "date"),
                                                           Col("weekday", "col.weekday"),
                                                           Col("target", "col.target", "money")], lang)
