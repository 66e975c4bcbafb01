"""Every sentence and label a report shows, in zh and en: the one catalog."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]


def _e(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


CATALOG: dict[str, dict[str, str]] = {
    "daily.kind": _e("日报", "Daily review"),
    "weekly.kind": _e("周报", "Weekly review"),
    "replenishment.kind": _e("补货表", "Replenishment table"),
    "monthly.kind": _e("月报", "Monthly review"),
    "mail.attached": _e("完整报表见附件（HTML，可离线打开）。", "The full report is attached (HTML, opens offline)."),
    "mail.failed": _e("生成失败", "FAILED"),
    "mail.failed_body": _e("{kind} {period} 生成失败，未发送给收件人。", "The {kind} report for {period} failed and was not sent."),
    "daily.title": _e("{store} · 日报 {date}", "{store} · Daily review {date}"),
    "daily.subtitle": _e("{weekday}，数据截至 {date} 24:00（{tz}）", "{weekday}; data to the end of {date} ({tz})"),
    "weekly.title": _e("{store} · 周报 {date}", "{store} · Weekly review {date}"),
    "weekly.subtitle": _e("{start} 至 {end}（周一至周日），数据截至 {end} 24:00（{tz}）",
                          "{start} to {end} (Monday to Sunday); data to the end of {end} ({tz})"),
    "actions.heading.weekly": _e("本周要点", "Highlights and actions"),
    "actions.question.weekly": _e("本周结束时仍待处理的事项：超时订单与问题订单、缺货风险、推广与异常指标。点击条目跳到对应板块。",
                                  "What is still open at the end of the week: late orders and tickets, stock risks, "
                                  "ads and anomalies. Each item links to its section."),
    "kpis.question.weekly": _e("本周卖得怎么样？与上周（环比）、去年同周（同比）、近4周均值和目标相比如何？",
                               "How did the week go against last week, the same ISO week last year, the mean of the "
                               "4 weeks before, and the target?"),
    "kpis.reference.week": _e("异常判断：超出前4周的范围（阈值 ±{margin}）。",
                              "Anomalies: outside the range of the 4 weeks before (margin ±{margin})."),
    "kpis.reference.month": _e("异常判断：超出前3个月的范围（阈值 ±{margin}）。",
                               "Anomalies: outside the range of the 3 months before (margin ±{margin})."),
    "bridge.question.weekly": _e("与上周相比，支付金额的变化来自访客、转化还是客单价？三部分之和等于变化额。",
                                 "Against last week, did the change in paid amount come from visitors, conversion "
                                 "or spend per buyer? The three parts add up to the change."),
    "legend.market": _e("颜色：红涨绿跌（▲ 上升，▼ 下降），不代表好坏。",
                        "Colours: red for a rise, green for a fall (▲ up, ▼ down), as Chinese dashboards show them; "
                        "not good or bad."),
    "legend.outcome": _e("颜色：绿色表示对店铺有利的变化，红色表示不利（如退款上升为红）。",
                         "Colours: green when a change is good for the store, red when it is bad (more refunds are "
                         "red)."),
    "overview.heading": _e("概述", "In short"),
    "overview.question": _e("一段话看懂：卖了多少、怎么变的、为什么、要做什么。文中每个数字都与下文各板块一致。",
                            "The review in a paragraph: how much was sold, how it moved, why, and what needs doing. "
                            "Every figure in it is one the sections below show."),
    "overview.sales": _e("支付金额 {paid}，{basis} {change}。", "Paid amount {paid}, {change} {basis}."),
    "overview.target": _e("目标完成 {attainment}。", "{attainment} of target."),
    "overview.sales_only": _e("支付金额 {paid}。", "Paid amount {paid}."),
    "overview.bridge": _e("变化主要来自{part}（{amount}）", "Most of the change came from {part} ({amount})"),
    "overview.bridge_then": _e("，其次是{part}（{amount}）。", ", then {part} ({amount})."),
    "overview.bridge_against": _e("，{part}（{amount}）方向相反。", "; {part} ({amount}) pulled the other way."),
    "overview.end": _e("。", "."),
    "overview.more": _e("；另有 {n} 项", "; and {n} more"),
    "overview.flagged": _e("异常：{metrics}。", "Flagged: {metrics}."),
    "overview.bridge_uv": _e("访客", "visitors"),
    "overview.bridge_conversion": _e("转化率", "conversion"),
    "overview.bridge_atv": _e("客单价", "spend per buyer"),
    "overview.high": _e("{metric}偏高", "{metric} high"),
    "overview.low": _e("{metric}偏低", "{metric} low"),
    "overview.todo": _e("待办：{items}。", "To do: {items}."),
    "overview.nothing": _e("没有需要处理的事项。", "Nothing needs action."),
    "drivers.heading": _e("变化归因", "What drove the change"),
    "drivers.question": _e("支付金额的变化来自哪些类目、哪些流量来源？涨得最多和跌得最多的各5个，合计等于变化额。",
                           "Which categories and traffic sources moved the paid amount? The 5 largest rises and "
                           "falls of each; the rows add up to the change."),
    "drivers.question.weekly": _e("与上周相比，支付金额的变化来自哪些类目、哪些流量来源？涨得最多和跌得最多的各5个，合计等于变化额。",
                                  "Against last week, which categories and traffic sources moved the paid amount? "
                                  "The 5 largest rises and falls of each; the rows add up to the change."),
    "drivers.by_category": _e("按类目（商品成交金额）", "By category (line amounts)"),
    "drivers.by_source": _e("按流量来源（来源支付金额）", "By traffic source (paid amount per source)"),
    "drivers.none": _e("（未分类）", "(no category)"),
    "drivers.rest": _e("其余 {n} 个", "the other {n}"),
    "drivers.other.category": _e("未归入类目（运费、整单优惠等）", "not in a category (shipping, order discounts)"),
    "drivers.other.source": _e("未归入来源（运费、整单优惠、来源重叠等）",
                               "not in a source (shipping, order discounts, sources that overlap)"),
    "drivers.total": _e("支付金额变化", "Change in paid amount"),
    "col.category": _e("类目", "Category"),
    "col.now": _e("本期", "This period"),
    "col.before": _e("对比期", "Compared with"),
    "col.change": _e("变化", "Change"),
    "days.heading": _e("逐日表现", "Day by day"),
    "days.question": _e("本周7天每天的支付金额、访客和转化率。", "Paid amount, visitors and conversion on each of the 7 days."),
    "col.date": _e("日期", "Date"),
    "col.weekday": _e("星期", "Weekday"),
    "banner.incomplete": _e("数据不完整：{tables} 缺少 {date} 的数据，相关数字偏低或为空，请勿据此决策。",
                            "Incomplete data: {tables} hold nothing for {date}; figures that depend on them are "
                            "low or empty. Do not act on them."),
    "actions.heading": _e("今日待办", "Action list"),
    "actions.question": _e("今天需要谁处理什么？点击条目跳到对应板块。",
                           "What needs doing today, and by whom? Each item links to its section."),
    "actions.none": _e("今天没有需要处理的事项。", "Nothing needs action today."),
    "actions.ship_breached": _e("超过72小时未发货的订单", "Orders unshipped for over 72 h"),
    "actions.ship_at_risk": _e("已等待48–72小时、即将超时的订单", "Orders waiting 48–72 h, about to breach"),
    "actions.urgent": _e("待发货的加急订单", "Urgent orders awaiting shipment"),
    "actions.tickets_breached": _e("超过24小时未处理的问题订单", "Tickets open for over 24 h"),
    "actions.tickets_at_risk": _e("已开20–24小时、即将超时的问题订单", "Tickets open 20–24 h, about to breach"),
    "actions.hot_short": _e("可售天数短于采购周期的热销SKU", "Hot SKUs with fewer days of cover than their lead time"),
    "actions.oos_visited": _e("有访客但已断货的SKU", "Out-of-stock SKUs that had visitors"),
    "actions.ads_below_breakeven": _e("投产比低于保本线的推广计划", "Ad campaigns below break-even ROAS"),
    "actions.anomalies": _e("异常波动的核心指标", "KPIs flagged as anomalies"),
    "kpis.heading": _e("核心指标", "Headline KPIs"),
    "kpis.question": _e("昨天卖得怎么样？与前一天（环比）、上周同日（同比）、近4个同星期日均值和目标相比如何？",
                        "How did the day go against the day before, the same weekday last week, the mean of the last "
                        "4 same weekdays, and the target?"),
    "kpis.reference.weekday": _e("异常判断：与近4个同星期日比较（阈值 ±{margin}）。",
                                 "Anomalies: judged against the last 4 same weekdays (margin ±{margin})."),
    "kpis.reference.event": _e("今天是「{event}」：异常判断与上一次同类活动的 {ref} 比较（阈值 ±{margin}）。",
                               "Today is “{event}”: anomalies are judged against {ref}, the same day of the "
                               "previous like event (margin ±{margin})."),
    "bridge.heading": _e("支付金额拆解", "GMV bridge"),
    "bridge.question": _e("与上周同日相比，支付金额的变化来自访客、转化还是客单价？三部分之和等于变化额。",
                          "Against the same weekday last week, did the change in paid amount come from visitors, "
                          "conversion or spend per buyer? The three parts add up to the change."),
    "bridge.none": _e("上周同日或今天没有成交，无法拆解。", "No sales on one of the two days: nothing to split."),
    "bridge.before": _e("上周同日", "Same day last week"),
    "bridge.none.weekly": _e("上周或本周没有成交，无法拆解。", "No sales in one of the two weeks: nothing to split."),
    "bridge.before.weekly": _e("上周", "Last week"),
    "bridge.after.weekly": _e("本周", "This week"),
    "bridge.after": _e("报告日", "Report day"),
    "trends.heading": _e("趋势与月度进度", "Trends and month to date"),
    "trends.question": _e("近28天支付金额、访客与转化走势（橙色为报告日），本月进度与月末预测。",
                          "Paid amount, visitors and conversion over 28 days (the report day in orange); the month "
                          "so far against target, pace and the month-end forecast."),
    "traffic.heading": _e("流量来源", "Traffic by source"),
    "traffic.question": _e("访客从哪里来？各来源访客有重叠，占比之和超过100%。",
                           "Where did visitors come from? Sources overlap, so shares add up to more than 100 %."),
    "traffic.none": _e("今天没有分来源的流量数据。", "No traffic-by-source data for this day."),
    "service.heading": _e("客服", "Customer service"),
    "service.question": _e("客服接待得怎么样？询单转化、响应速度、各客服表现，聊天抽查和问题订单。",
                           "How well did customer service do? Inquiry conversion, response times, per agent, the "
                           "chat QA sample and problem-order tickets."),
    "service.none": _e("今天没有客服会话数据。", "No customer-service chats for this day."),
    "service.sample": _e("聊天记录抽查（每天固定抽取10条，质检员填写右侧两栏）",
                         "Chat QA sample (the same 10 chats on every re-run; the checker fills in the last two columns)"),
    "service.tickets": _e("问题订单（24小时处理时限）", "Problem-order tickets (24 h to resolve)"),
    "service.tickets_none": _e("没有超过24小时未处理的问题订单。", "No ticket has been open for more than 24 h."),
    "service.no_tickets": _e("没有问题订单数据。", "No problem-order tickets in the data."),
    "fulfilment.heading": _e("订单与物流", "Orders and fulfilment"),
    "fulfilment.question": _e("订单有没有按时发出？下单→付款→发货漏斗、待发货积压、72小时发货率和加急订单。",
                              "Are orders going out on time? The created → paid → shipped funnel, the backlog by age, "
                              "72 h compliance and the urgent list."),
    "fulfilment.urgent_none": _e("没有待发货的加急订单。", "No urgent order is awaiting shipment."),
    "ads.heading": _e("推广", "Advertising"),
    "ads.question": _e("推广花得值不值？各渠道各计划的花费、点击、转化与投产比（对比保本线），以及本月消耗进度。",
                       "Is ad spend paying off? Spend, clicks, conversion and ROAS per channel and campaign against "
                       "break-even, and the month's spend pacing."),
    "ads.none": _e("今天没有推广数据。", "No advertising data for this day."),
    "ads.breakeven": _e("保本投产比 {value}（毛利率 {margin}）；低于保本线的计划标红。",
                        "Break-even ROAS {value} (gross margin {margin}); campaigns below it are in red."),
    "ads.pacing": _e("本月已花费 {cost}，预算 {budget}，消耗进度 {pacing}。",
                     "Spent {cost} this month of a {budget} budget: pacing {pacing}."),
    "ads.pacing_none": _e("本月已花费 {cost}；未设置推广预算。", "Spent {cost} this month; no ad budget is set."),
    "products.heading": _e("商品", "Products"),
    "products.question": _e("哪些商品卖得好？哪些商品有流量却不转化（可考虑调离主推位）？哪些断货了还有人看？",
                            "Which products sold? Which drew visitors without converting (candidates to move off prime "
                            "slots)? Which are out of stock while people still look?"),
    "products.top": _e("支付金额前10商品", "Top 10 products by paid amount"),
    "products.low_conv": _e("高流量低转化商品", "High-traffic, low-conversion products"),
    "products.low_conv_none": _e("没有高流量低转化的商品。", "No high-traffic product converts poorly."),
    "products.oos": _e("断货但有访客的SKU", "Out-of-stock SKUs with visitors"),
    "products.oos_none": _e("没有断货且有访客的SKU。", "No out-of-stock SKU had visitors."),
    "products.hot_short": _e("库存不足的热销SKU（可售天数 < 采购周期）", "Hot SKUs running short (days of cover < lead time)"),
    "products.no_sku": _e("（无SKU：小费、礼品卡、自定义商品等）", "(no SKU: tips, gift cards, custom items)"),
    "coverage.orders": _e("近30天没有订单数据，销售数字无从判断。请导入订单：{load}。",
                          "No orders in the last 30 days: sales figures cannot be judged. Load {load}."),
    "coverage.buyers": _e("数据中没有买家ID：买家数、客单价、付款率、转化率等显示为“—”。如需这些数字，请导入带买家列的订单：{load}。",
                          "The data has no buyer ids: buyers, spend per buyer, payment rate and conversion show "
                          "“—”. For them, load orders with a buyer column: {load}."),
    "coverage.traffic": _e("近30天没有访客数据：访客数、浏览量、转化率、UV价值显示为“—”。请导入：{load}。",
                           "No visitor data in the last 30 days: visitors, page views, conversion and value per "
                           "visitor show “—”. Load {load}."),
    "coverage.shipping": _e("数据中没有发货时间（近30天无一笔已付款订单有发货时间）：不判断待发货、72小时发货率和加急订单。请导入：{load}。",
                            "The data has no shipping times (no order paid in the last 30 days has one): the "
                            "backlog, 72 h compliance and urgent orders are not judged. Load {load}."),
    "coverage.refund_times": _e("有退款但没有退款时间：退款金额显示为“—”。请导入：{load}。",
                                "Refunds carry no refund time: refunds show “—”. Load {load}."),
    "coverage.refund_lines": _e("有退款但订单明细没有退货数量：退款率显示为“—”。请导入：{load}。",
                                "Refunds carry no refunded quantities on order lines: the refund rate shows “—”. "
                                "Load {load}."),
    "coverage.source_sales": _e("流量来源数据没有分来源的支付买家数和支付金额，无法给出各来源转化率。请导入：{load}。",
                                "Traffic by source has no paying buyers or paid amount per source: no conversion "
                                "by source. Load {load}."),
    "coverage.inventory": _e("近30天没有库存数据：不判断库存预警和断货。请导入：{load}。",
                             "No inventory in the last 30 days: stock warnings and stock-outs are not judged. "
                             "Load {load}."),
    "coverage.product_traffic": _e("近30天没有商品流量数据：不判断商品转化和有访客的断货SKU。请导入：{load}。",
                                   "No product traffic in the last 30 days: product conversion and out-of-stock SKUs "
                                   "with visitors are not judged. Load {load}."),
    "coverage.tickets": _e("近30天没有问题订单（工单）数据：不判断24小时处理率和超时工单。请导入：{load}。",
                           "No problem-order tickets in the last 30 days: the 24 h SLA and overdue tickets are not "
                           "judged. Load {load}."),
    "coverage.cs": _e("近30天没有客服会话数据。请导入：{load}。", "No customer-service chats in the last 30 days. Load {load}."),
    "coverage.ads": _e("近30天没有推广数据：推广花费和全店投产比显示为“—”。请导入：{load}。",
                       "No advertising data in the last 30 days: ad spend and store ROAS show “—”. Load {load}."),
    "products.none": _e("今天没有商品销售数据。", "No product sales for this day."),
    "glossary.heading": _e("指标说明", "Glossary"),
    "glossary.question": _e("本报告中每个指标的定义与公式，可据此手工核对。",
                            "What each figure in this report means and how it is computed, so any number can be checked "
                            "by hand."),
    "col.metric": _e("指标", "Metric"),
    "col.value": _e("数值", "Value"),
    "cmp.day.dod": _e("环比", "vs prev. day"),
    "cmp.day.wow": _e("同比(上周同日)", "vs same day last week"),
    "cmp.day.w4": _e("较近4周同日均值", "vs 4-week same-day mean"),
    "cmp.week.wow": _e("环比(上周)", "vs last week"),
    "cmp.week.yoy": _e("同比(去年同周)", "vs same week last year"),
    "cmp.week.w4": _e("较近4周均值", "vs 4-week mean"),
    "cmp.month.mom": _e("环比(上月)", "vs last month"),
    "cmp.month.yoy": _e("同比(去年同月)", "vs same month last year"),
    "cmp.month.m3": _e("较近3月均值", "vs 3-month mean"),
    "col.target": _e("目标", "Target"),
    "col.attainment": _e("完成率", "Attained"),
    "col.flag": _e("异常", "Anomaly"),
    "col.formula": _e("公式", "Formula"),
    "col.count": _e("数量", "Count"),
    "col.item": _e("事项", "Item"),
    "col.top": _e("最需关注", "Most pressing"),
    "col.source": _e("来源", "Source"),
    "col.share": _e("占比", "Share"),
    "col.agent": _e("客服", "Agent"),
    "col.sessions": _e("会话数", "Chats"),
    "col.time": _e("时间", "Time"),
    "col.buyer": _e("买家", "Buyer"),
    "col.transcript": _e("聊天记录", "Transcript"),
    "col.score": _e("质检评分", "Score"),
    "col.remark": _e("质检备注", "Checker's note"),
    "col.ticket": _e("工单", "Ticket"),
    "col.order": _e("订单", "Order"),
    "col.kind": _e("类型", "Kind"),
    "col.age_h": _e("已等待(小时)", "Waiting (h)"),
    "col.paid_at": _e("付款时间", "Paid at"),
    "col.province": _e("省份", "Province"),
    "col.stage": _e("环节", "Stage"),
    "col.bucket": _e("付款后时长", "Since payment"),
    "col.channel": _e("渠道", "Channel"),
    "col.campaign": _e("计划", "Campaign"),
    "col.impressions": _e("展现量", "Impressions"),
    "col.clicks": _e("点击量", "Clicks"),
    "col.gmv": _e("成交金额", "GMV"),
    "col.product": _e("商品", "Product"),
    "col.units": _e("件数", "Units"),
    "col.sku": _e("SKU", "SKU"),
    "col.on_hand": _e("库存", "On hand"),
    "col.lead_time": _e("采购周期(天)", "Lead time (d)"),
    "funnel.created": _e("下单", "Created"),
    "funnel.paid": _e("已付款", "Paid"),
    "funnel.shipped": _e("已发货", "Shipped"),
    "bucket.lt24": _e("< 24 小时", "< 24 h"),
    "bucket.24_48": _e("24–48 小时", "24–48 h"),
    "bucket.48_72": _e("48–72 小时", "48–72 h"),
    "bucket.gt72": _e("> 72 小时（已超时）", "> 72 h (breached)"),
    "class.hot": _e("热销", "hot"),
    "class.steady": _e("常销", "steady"),
    "class.slow": _e("滞销", "slow"),
    "flag.high": _e("▲ 异常偏高", "▲ unusually high"),
    "flag.low": _e("▼ 异常偏低", "▼ unusually low"),
    "chart.paid_amount": _e("支付金额", "Paid amount"),
    "chart.uv": _e("访客数", "Visitors"),
    "chart.conversion": _e("支付转化率", "Conversion"),
    "chart.ma7": _e("7日均值", "7-day mean"),
    "chart.bridge_uv": _e("访客", "Visitors"),
    "chart.bridge_conversion": _e("转化率", "Conversion"),
    "chart.bridge_atv": _e("客单价", "Per buyer"),
    "weekday": _e("周一 周二 周三 周四 周五 周六 周日", "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
    "toc": _e("目录", "Contents"),
    "footer": _e("由 storeops 生成 · 口径见文末指标说明", "Made by storeops · definitions in the glossary at the end"),
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


def worded(key: str, kind: str, lang: Lang, **fmt: object) -> str:
    """The entry ``<key>.<kind>`` where a review kind words it its own way (a week is not
    "yesterday"), else ``<key>``, as :func:`text` gives it."""
    return text(f"{key}.{kind}" if f"{key}.{kind}" in CATALOG else key, lang, **fmt)


def weekday(d, lang: Lang) -> str:
    return text("weekday", lang).split()[d.weekday()]
