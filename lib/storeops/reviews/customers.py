"""The members section (会员) of the monthly review: new and returning buyers, repeat rate, RFM
segments and how buyers moved between them, and the retention of the last 12 monthly cohorts."""

from __future__ import annotations

import datetime as _dt

from storeops.metrics import members as _mem
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import Col, Html
from storeops.reviews.context import ReviewContext

COHORT_MONTHS = 12


def members(ctx: ReviewContext) -> Html:
    from storeops.present import charts  # matplotlib loads with a review's first chart, not before
    lang, p = ctx.lang, ctx.period
    out = tables.section("members", lang, "members", ctx.kind)
    if not ctx.tracks("buyers"):
        return out + ctx.gaps("buyers")
    b = _mem.buyers(ctx.t, p)
    for k in ("new_buyers", "returning_share", "repeat_rate"):
        ctx.show(k, b[k])
    out += tables.note(text("members.buyers", lang, buyers=b["paying_buyers"], new=b["new_buyers"],
                            returning=formats.pct(b["returning_share"]), repeat=formats.pct(b["repeat_rate"])))
    if ctx.first_day and ctx.first_day > p.start - _dt.timedelta(days=365):  # "new" needs a year of history
        out += tables.note(text("members.history", lang, day=ctx.first_day.isoformat()), "so-gap")
    ctx.explain("rfm")
    seg = _mem.segments(ctx.t, p.end, p.start - _dt.timedelta(days=1))
    seg["name"] = [text(f"rfm.{s}", lang) for s in seg.segment]
    out += tables.subheading(text("members.rfm", lang)) + tables.data_table("rfm_segments", seg, [
        Col("name", "col.segment"), Col("buyers", "col.buyers", "count"), Col("share", "col.share", "rate"),
        Col("monetary", "col.value_365", "money"), Col("moved_in", "col.moved_in", "count"),
        Col("moved_out", "col.moved_out", "count")], lang)
    if "members" in ctx.con.list_tables() and ctx.t.members.count().execute():
        lv = _mem.by_level(ctx.t, p)
        lv["level"] = lv.level.replace({_mem.NON_MEMBER: text("members.non_member", lang)})
        out += tables.subheading(text("members.levels", lang)) + tables.data_table("by_level", lv, [
            Col("level", "col.level"), Col("buyers", "col.buyers", "count"), Col("paid_amount", "paid_amount", "money"),
            Col("share", "col.share", "rate"), Col("per_buyer", "atv", "money"),
            Col("repeat_rate", "repeat_rate", "rate")], lang)
    ctx.explain("cohort")
    c = _mem.cohorts(ctx.t, p, COHORT_MONTHS)
    c = c[c["size"] > 0]
    out += tables.subheading(text("members.cohorts", lang))
    if c.empty:
        return out + tables.note(text("members.no_cohorts", lang))
    # the month the data begins holds buyers of every earlier month too: marked, and said
    first = ctx.first_day.replace(day=1) if ctx.first_day else None
    c = c.assign(label=[f"{d:%Y-%m}" + ("*" if d == first else "") for d in c.cohort])
    grid = c.set_index(c.label.map(lambda x: f"{x} ({int(c.set_index('label').loc[x, 'size'])})"))
    grid = grid.drop(columns=["cohort", "size", "label"])
    grid = grid.loc[:, grid.notna().any()]  # months after the newest cohort's first are all blank
    out += charts.heatmap(grid, lang, text("members.months_after", lang), text("members.cohort", lang))
    if first in set(c.cohort):
        out += tables.note(text("members.first_cohort", lang, month=f"{first:%Y-%m}"))
    shown = c.rename(columns=str).assign(cohort=c.label)
    return out + tables.data_table("cohorts", shown, [Col("cohort", "col.cohort"),
                                                                      Col("size", "col.buyers", "count"),
                                                                      *[Col(str(k), f"col.m{k}", "rate")
                                                                        for k in (1, 2, 3, 6)]], lang)
