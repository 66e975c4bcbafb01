"""The hourly pace check's sentences and labels (storeops.pace, publish.alerts), in zh and en: a
part of the one catalog (present.i18n), kept apart by topic."""

from __future__ import annotations


def _e(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


PACE: dict[str, dict[str, str]] = {
    "pace.kind": _e("实时进度", "Pace check"),
    "pace.latest": _e("今天的实时进度（最新一次）", "Today's pace check (the latest)"),
    "pace.title": _e("{store} · 实时进度 {date}", "{store} · Pace check {date}"),
    "pace.subtitle": _e("{weekday}，{date} 截至 {hour}:00（{tz}）的已导入数据；同类日：{like}",
                        "{weekday}; {date} to {hour}:00 ({tz}), as loaded so far; like days: {like}"),
    "pace.unloaded": _e("{date} 截至 {hour}:00 还没有导入任何已付款订单，而同类日此时已有成交：以下数字不完整。",
                        "No paid order is loaded for {date} before {hour}:00, where like days had some by then: the "
                        "figures below are incomplete."),
    "pace.heading": _e("支付进度", "The day so far"),
    "pace.question": _e("今天到现在卖了多少？比同类日同时段快还是慢？照此下去全天能到多少，够不够目标？",
                        "How much has sold so far, against like days by the same hour? What day does it point to, "
                        "and is that enough for the target?"),
    "cmp.pace.like": _e("较同类日同时段", "vs like days, same hours"),
    "pace.projection": _e("照同类日的节奏，今天预计全天支付 {value}（各同类日单独推算的区间 {low} – {high}，{n} 天）；同类日全天为 {like_low} – {like_high}。",
                          "At the like days' pace the day points to {value} (each like day's own projection: "
                          "{low} – {high}, {n} {n|day|days}); the like days' totals were {like_low} – "
                          "{like_high}."),
    "pace.below": _e("预计全天 {value} 低于最差的同类日 {like_low}。",
                     "The projected {value} is below the weakest like day ({like_low})."),
    "pace.target": _e("今日目标 {target}，预计完成 {attainment}。", "Today's target is {target}; the projection "
                                                                "reaches {attainment} of it."),
    "pace.no_projection": _e("同类日在这个时段之前没有成交（或数据不覆盖同类日），无法推算全天。",
                             "No like day had sold by this hour (or the data does not cover them): there is no "
                             "projection."),
    "pace_stock.heading": _e("今日售罄预警", "Selling out today"),
    "pace_stock.question": _e("照今天的卖法，哪些SKU撑不到明天？几点卖完？",
                              "Which SKUs sell out before tomorrow at today's pace, and when?"),
    "pace.sell_outs_none": _e("照今天的卖法，没有SKU会在今天卖完。", "No SKU sells out today at today's pace."),
    "col.on_hand_morning": _e("晨盘库存", "Morning stock"),
    "col.sold_today": _e("今日已售", "Sold today"),
    "col.left": _e("剩余", "Left"),
    "pace_ads.heading": _e("推广进度", "Ad spend so far"),
    "pace_ads.question": _e("今天的推广花得比预算节奏快还是慢？哪些计划花了钱却低于保本线？",
                            "Is today's ad spend ahead of or behind its budget's pace? Which campaigns spend below "
                            "break-even?"),
    "pace.ads": _e("今日已花费 {cost}；日预算 {budget}，按同类日此时的成交进度应花 {expected}，实际为应花的 {pace}（100% 为正好按进度）。",
                   "Spent {cost} today; of a day's budget of {budget}, {expected} was due by now at the like days' "
                   "pace: spend is {pace} of that (100% is on pace)."),
    "pace.ads_no_budget": _e("今日已花费 {cost}；没有当月推广预算（或没有同类日可比），不判断进度。",
                             "Spent {cost} today; with no ad budget for the month (or no like day), there is no "
                             "pace."),
    "pace.ads_not_loaded": _e("还没有导入 {date} 的推广数据：不判断今天的花费进度。",
                              "No advertising data is loaded for {date} yet: today's spend has no pace."),
    "pace.roas_rule": _e("保本投产比 {be}：今日花费满 {spend} 且低于保本线的计划标红。",
                         "Break-even ROAS {be}: campaigns that spent {spend} or more today and are below it are "
                         "marked."),
    "pace_service.heading": _e("客服实时", "Customer service now"),
    "pace_service.question": _e("有没有没处理的严重投诉？哪些问题订单快到24小时？今天客服响应得快不快？",
                                "Any serious complaint still open? Which tickets near 24 h? How fast are chats "
                                "answered today?"),
    "pace.tickets": _e("未处理的问题订单中，{near} 个距24小时不到 {hours} 小时，{over} 个已超过24小时。",
                       "Of the open tickets, {near} {near|is|are} within {hours} h of 24 h and {over} "
                       "{over|is|are} past it."),
    "pace.complaints": _e("未结严重投诉（{n}）", "Open serious complaints ({n})"),
    "pace.complaints_none": _e("没有未结的严重投诉。", "No serious complaint is open."),
    "pace.chats": _e("今天到现在 {n} 个会话，平均首次响应 {first}，3分钟响应率 {share}。",
                     "{n} {n|chat|chats} so far today; first response {first} on average, {share} within 3 minutes."),
    "pace_ship.heading": _e("今日发货", "Shipping today"),
    "pace_ship.question": _e("哪些订单今天不发就超72小时？已经超时的有多少？",
                             "Which orders must ship today to stay within 72 h, and how many are late already?"),
    "pace.ship": _e("今天24:00前到72小时的未发货订单 {due} 笔（其中 {soon} 笔剩不到 {hours} 小时），已超时 {late} 笔。",
                    "{due} unshipped {due|order reaches|orders reach} 72 h before midnight ({soon} of them "
                    "within {hours} h); {late} {late|is|are} late already."),
    "col.hours_left": _e("剩余(小时)", "Hours left"),
    "col.urgent": _e("加急", "Urgent"),
    "col.opened_at": _e("创建时间", "Opened at"),
    # alerts (publish.alerts): a title and one line per thing that crossed its line
    "alert.title": _e("{store} · 实时预警 {date}", "{store} · Alert {date}"),
    "alert.below": _e("预计全天支付 {value}，低于最差的同类日 {like_low}（截至 {hour}:00 已付 {so_far}）",
                      "The day points to {value}, below the weakest like day ({like_low}); {so_far} paid by "
                      "{hour}:00"),
    "alert.sell_out": _e("{title}（{sku}，{cls}）约 {at} 卖完：晨盘 {on_hand}，今日已售 {sold}",
                         "{title} ({sku}, {cls}) sells out at about {at}: {on_hand} counted this morning, {sold} "
                         "sold today"),
    "alert.ad_over": _e("推广花费超进度：已花 {cost}，应花 {expected}（{pace}）",
                        "Ad spend ahead of pace: {cost} spent, {expected} due by now ({pace})"),
    "alert.ad_under": _e("推广花费落后进度：已花 {cost}，应花 {expected}（{pace}）",
                         "Ad spend behind pace: {cost} spent, {expected} due by now ({pace})"),
    "alert.roas": _e("{channel} · {campaign}：今日花费 {cost}，投产比 {roas}，低于保本线 {be}",
                     "{channel} · {campaign}: {cost} spent today at ROAS {roas}, below break-even {be}"),
    "alert.complaint": _e("严重投诉 {ticket}（{kind}）已 {age} 小时未处理", "Serious complaint {ticket} ({kind}) open "
                                                                   "for {age} h"),
    "alert.ship": _e("{n} 笔订单距72小时发货时限不到 {hours} 小时（最急 {order}，剩 {left} 小时）",
                     "{n} {n|order is|orders are} within {hours} h of missing 72 h (the first, {order}, has "
                     "{left} h left)"),
}
