"""The group review's sentences and labels (storeops.group), in zh and en: a part of the one catalog
(present.i18n), kept apart by topic."""

from __future__ import annotations


def _e(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


GROUP: dict[str, dict[str, str]] = {
    "group-daily.kind": _e("集团日报", "Group daily review"),
    "group-weekly.kind": _e("集团周报", "Group weekly review"),
    "group-monthly.kind": _e("集团月报", "Group monthly review"),
    "group-daily.title": _e("{store} · 集团日报 {date}", "{store} · Group daily review {date}"),
    "group-weekly.title": _e("{store} · 集团周报 {date}", "{store} · Group weekly review {date}"),
    "group-monthly.title": _e("{store} · 集团月报 {date}", "{store} · Group monthly review {date}"),
    "group.subtitle": _e("{start} 至 {end}，各店按自己的营业日（所在时区）统计：{stores}。金额折算为 {currency}{rates}。",
                         "{start} to {end}, each store by its own business day (in its timezone): {stores}. Money "
                         "in {currency}{rates}."),
    "group.rates": _e("，汇率 {rates}", " at {rates}"),
    "group.left_out": _e("{store} 缺少 {date} 的{tables}数据，未计入集团合计与下表（不是按 0 计）。",
                         "{store} has no data for {date} in {tables}: it is left out of the group's figures and "
                         "the tables below (not counted as 0)."),
    "archive.stores": _e("各店报表归档", "Each store's archive"),
    "group.total": _e("集团合计", "Group total"),
    "col.store": _e("店铺", "Store"),
    "group.col.change": _e("支付金额变化", "Change"),
    "group.col.local": _e("店铺币种金额", "In its currency"),
    "group.col.platform": _e("平台", "Platform"),
    "group.col.before": _e("对比期", "Then"),
    "group.col.after": _e("本期", "Now"),
    "group.col.delta": _e("变化", "Change"),
    "group.col.plan_share": _e("占集团目标", "Share of the plan"),
    "group.overview.heading": _e("概述", "In short"),
    "group.overview.question": _e("集团整体卖得怎么样？哪家店带来的变化最大？哪些店有事要处理？",
                                  "How did the group sell, which store moved it most, and which stores have "
                                  "something to do?"),
    "group.overview.top": _e("变化最大的是{store}（{amount}）。", "{store} moved it most ({amount})."),
    "group.overview.todo": _e("有待办的店铺：{stores}。", "Stores with actions: {stores}."),
    "group.kpis.heading": _e("集团核心指标", "Group KPIs"),
    "group.kpis.question": _e("集团昨天卖得怎么样？与前一天、上周同日、近4个同星期日均值和目标相比如何？",
                              "How did the group sell yesterday, against the day before, the same day last week, "
                              "the 4 same weekdays before and the target?"),
    "group.kpis.question.group-weekly": _e("集团本周卖得怎么样？与上周、去年同周、近4周均值和目标相比如何？",
                                           "How did the group sell this week, against last week, the same week last "
                                           "year, the 4 weeks before and the target?"),
    "group.kpis.question.group-monthly": _e("集团本月卖得怎么样？与上月、去年同月、近3个月均值和目标相比如何？",
                                            "How did the group sell this month, against last month, the same month "
                                            "last year, the 3 months before and the target?"),
    "group.untracked": _e("{metric}：{stores} 没有这项数据，集团合计不显示（不按 0 计）。",
                          "{metric}: {stores} do not track it, so the group has no total (not counted as 0)."),
    "group.not_covered": _e("对比期有店铺的数据不全，无法比较的显示为 —。",
                            "Where a store's data does not cover a compared period, the change is shown as —."),
    "group.stores.heading": _e("各店对比", "Stores side by side"),
    "group.stores.question": _e("每家店卖了多少、占集团多少、比对比期变化多少？流量、转化、客单价、推广和退款各如何？",
                                "What did each store sell, what share of the group is it, how did it move? Its "
                                "visitors, conversion, spend per buyer, ads and refunds?"),
    "group.stores_note": _e("金额均折算为 {currency}；变化为{basis}。", "Money in {currency}; change {basis}."),
    "group.bridge.heading": _e("集团变化拆解", "What moved the group"),
    "group.bridge.question": _e("集团支付金额的变化来自哪家店、哪个平台？是流量、转化、客单价还是汇率？",
                                "Which store and platform moved the group's paid amount, and was it visitors, "
                                "conversion, spend per buyer or the exchange rate?"),
    "group.bridge_basis": _e("{basis}（{period}）；各列相加等于变化，精确到分。",
                             "{basis} ({period}); the parts add up to the change, to the cent."),
    "group.by_platform": _e("按平台", "By platform"),
    "group.actions.heading": _e("各店待办", "Each store's actions"),
    "group.actions.question": _e("各店最要紧的事是什么？点店名看该店自己的报告。",
                                 "What is most pressing in each store? A store's name opens its own review."),
    "group.more_items": _e("另有 {n} 项，见该店报告。", "{n} more in the store's review."),
    "group.unpublished": _e("该店本期{kind}尚未发布，发布后此处可链接到它。",
                            "The store's {kind} for the period is not published yet; once it is, this links to it."),
    "group.plan.heading": _e("目标完成（按店）", "Plan by store"),
    "group.plan.question": _e("每家店完成了多少目标？集团目标完成多少？线上占公司总销售额多少？",
                              "How far is each store toward its target, and the group toward its plan? What share "
                              "of the company's sales is online?"),
    "group.no_plan": _e("{month} 有店铺没有目标，集团目标不显示：用 `storeops plan --group` 拆分集团目标。",
                        "A store has no target for {month}, so the group has none: split the group's target with "
                        "`storeops plan --group`."),
    "group.online_share": _e("线上占公司总销售额 {share}（公司本月 {company}）。",
                             "Online is {share} of the company's sales ({company} this month)."),
    "group.partial_share": _e("{stores} 未计入本期合计，线上占比和占集团目标不显示（会偏低）。",
                              "{stores} left out of the totals: no online share and no share of the plan (they "
                              "would read low)."),
    "actions.heading.group-daily": _e("今日待办", "Action list"),
    "actions.heading.group-weekly": _e("本周要点", "Highlights and actions"),
    "actions.heading.group-monthly": _e("本月要点", "Highlights"),
    "actions.none.group-daily": _e("今天各店都没有需要处理的事项。", "No store has anything to act on today."),
    "actions.none.group-weekly": _e("本周结束时各店都没有需要处理的事项。",
                                    "No store has anything to act on at the end of the week."),
    "actions.none.group-monthly": _e("本月结束时各店都没有需要处理的事项。",
                                     "No store has anything to act on at the end of the month."),
    "platform.tmall": _e("天猫", "Tmall"),
    "platform.taobao": _e("淘宝", "Taobao"),
    "platform.jd": _e("京东", "JD"),
    "platform.pdd": _e("拼多多", "Pinduoduo"),
    "platform.douyin": _e("抖音", "Douyin"),
    "platform.shopify": _e("Shopify", "Shopify"),
    "platform.amazon": _e("亚马逊", "Amazon"),
    "group.no_company": _e("没有 {month} 的公司总销售额（group.yaml 的 plan.company_sales），线上占比不显示。",
                           "No company sales for {month} (plan.company_sales in group.yaml): no online share."),
}
