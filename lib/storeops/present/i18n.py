"""Every sentence and label a report shows, in zh and en: the one catalog."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

CATALOG: dict[str, dict[str, str]] = {
    "daily.title": {"zh": "{store} · 日报 {date}", "en": "{store} · Daily review {date}"},
    "daily.subtitle": {
        "zh": "{weekday}，数据截至 {date} 24:00（{tz}）",
        "en": "{weekday}; data to the end of {date} ({tz})",
    },
    "kpis.heading": {"zh": "核心指标", "en": "Headline KPIs"},
    "kpis.question": {
        "zh": "昨天卖得怎么样？与前一天（环比）和上周同日（同比）相比如何？",
        "en": "How did the day go, against the day before and the same weekday last week?",
    },
    "trend.heading": {"zh": "近28天趋势", "en": "28-day trend"},
    "trend.question": {
        "zh": "支付金额在近四周里处在什么位置？深色柱为报告日，折线为7日均值。",
        "en": "Where does the day stand in the last four weeks? The dark bar is the report day; the line is the 7-day mean.",
    },
    "glossary.heading": {"zh": "指标说明", "en": "Glossary"},
    "glossary.question": {
        "zh": "本报告中每个指标的定义与公式，可据此手工核对。",
        "en": "What each figure in this report means and how it is computed, so any number can be checked by hand.",
    },
    "col.metric": {"zh": "指标", "en": "Metric"},
    "col.value": {"zh": "数值", "en": "Value"},
    "col.dod": {"zh": "环比", "en": "vs prev. day"},
    "col.wow": {"zh": "同比(上周同日)", "en": "vs same day last week"},
    "col.target": {"zh": "目标", "en": "Target"},
    "col.attainment": {"zh": "完成率", "en": "Attained"},
    "col.formula": {"zh": "公式", "en": "Formula"},
    "chart.paid_amount": {"zh": "支付金额", "en": "Paid amount"},
    "chart.ma7": {"zh": "7日均值", "en": "7-day mean"},
    "none": {"zh": "—", "en": "—"},
    "weekday": {"zh": "周一 周二 周三 周四 周五 周六 周日", "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"},
    "footer": {
        "zh": "由 storeops 生成 · 口径见文末指标说明",
        "en": "Made by storeops · definitions in the glossary at the end",
    },
}


def text(key: str, lang: Lang, **fmt: object) -> str:
    """The catalog entry ``key`` in ``lang``, formatted with ``fmt``.

    >>> text("kpis.heading", "en")
    'Headline KPIs'
    """
    try:
        entry = CATALOG[key]
    except KeyError:
        raise KeyError(f"no catalog entry {key!r}") from None
    return entry[lang].format(**fmt) if fmt else entry[lang]


def weekday(d, lang: Lang) -> str:
    return text("weekday", lang).split()[d.weekday()]
