"""Customers and members, worked by hand. The month under review is March 2026.

buyer  paid orders                                   in March
A      2025-06-10 ¥100, 2026-03-05 ¥200, 03-20 ¥300   returning, 2 orders (repeat)
B      2026-03-10 ¥50                                 new
C      2026-02-15 ¥80                                 —
D      2025-01-01 ¥10                                 — (outside every window below)
E      a guest order (no buyer id), 2026-03-12 ¥20    new (a buyer of its own)
March: 3 buyers, 2 new, returning 1/3, repeat 1/3.

RFM at 03-31 (365 days from 2025-04-01): recency / frequency / money
A 11 / 3 / 600   E 19 / 1 / 20   B 21 / 1 / 50   C 44 / 1 / 80
scores ⌈5 × position ÷ 4⌉ in the buyers' order (ties broken: R by frequency, F by money, M by frequency):
R (most recent last): C, B, E, A → 2, 3, 4, 5;  F: E, B, C (1 order each, by money), A → 2, 3, 4, 5;
M: E, B, C, A → 2, 3, 4, 5;  FM = ⌊(F + M) / 2⌋: A 5, C 4, B 3, E 2
segments: A champions (R5 FM5), E potential_loyalist (R4 FM2), B loyal (R3 FM3), C at_risk (R2 FM4)
At 02-28 (from 2025-03-01): A 263 / 1 / 100, C 13 / 1 / 80 → R: A 3, C 5; F (by money): C 3, A 5;
M: C 3, A 5 → FM A 5, C 3 → A loyal (R3 FM5), C loyal (R5 FM3). Both have moved since.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops.metrics import members
from storeops.periods import Period
from tests.conftest import load

MARCH = Period.parse("2026-03")


@pytest.fixture
def t(con):
    def paid(oid, who, day, amount):
        ts = f"{day} 12:00"
        return dict(order_id=oid, buyer_id=who, created_at=ts, paid_at=ts, goods_amount=amount, paid_amount=amount)

    return load(con, orders=[paid("a1", "A", "2025-06-10", "100"), paid("a2", "A", "2026-03-05", "200"),
                             paid("a3", "A", "2026-03-20", "300"), paid("b1", "B", "2026-03-10", "50"),
                             paid("c1", "C", "2026-02-15", "80"), paid("d1", "D", "2025-01-01", "10"),
                             paid("oE", None, "2026-03-12", "20")])


def test_new_returning_and_repeat(t):
    assert members.buyers(t, MARCH) == {"paying_buyers": 3, "new_buyers": 2, "returning_share": pytest.approx(1 / 3),
                                        "repeat_rate": pytest.approx(1 / 3)}


def test_rfm_scores_and_segments(t):
    r = members.rfm(t, MARCH.end).set_index("buyer")
    assert r.loc[["A", "#order:oE", "B", "C"], ["recency", "frequency", "monetary"]].values.tolist() == [
        [11, 3, 600], [19, 1, 20], [21, 1, 50], [44, 1, 80]]
    assert r.loc[["A", "#order:oE", "B", "C"], ["r", "f", "m", "fm"]].values.tolist() == [
        [5, 5, 5, 5], [4, 2, 2, 2], [3, 3, 3, 3], [2, 4, 4, 4]]
    assert r.segment.to_dict() == {"A": "champions", "#order:oE": "potential_loyalist", "B": "loyal", "C": "at_risk"}


def test_segments_and_who_moved(t):
    before = members.rfm(t, _dt.date(2026, 2, 28))
    assert before.set_index("buyer").segment.to_dict() == {"A": "loyal", "C": "loyal"}
    s = members.segments(t, MARCH.end, _dt.date(2026, 2, 28)).set_index("segment")
    assert s.loc["champions", ["buyers", "moved_in", "moved_out"]].tolist() == [1, 1, 0]
    assert s.loc["at_risk", ["buyers", "moved_in", "moved_out"]].tolist() == [1, 1, 0]
    assert s.loc["loyal", ["buyers", "moved_in", "moved_out"]].tolist() == [1, 0, 2]  # B stays; A and C left
    assert s.loc["champions", "monetary"] == 600 and s.buyers.sum() == 4 and list(s.index) == list(members.SEGMENT_ORDER)


def test_every_score_pair_has_one_segment():
    owners = {(r, fm): [s for s, rs, fms in members.SEGMENTS if r in rs and fm in fms]
              for r in range(1, 6) for fm in range(1, 6)}
    assert all(len(v) == 1 for v in owners.values())  # each of the 25 score pairs in one segment
    assert {v[0] for v in owners.values()} == set(members.SEGMENT_ORDER)
    assert len(members.SEGMENT_ORDER) == 11


def test_cohort_retention(t):
    c = members.cohorts(t, MARCH).set_index("cohort")
    june, feb, march = _dt.date(2025, 6, 1), _dt.date(2026, 2, 1), _dt.date(2026, 3, 1)
    assert c.loc[[june, feb, march], "size"].tolist() == [1, 1, 2]  # D's cohort (2025-01) is older than 12 months
    assert c.loc[june, 9] == 1.0 and c.loc[june, 1] == 0.0 and pd.isna(c.loc[june, 10])  # A came back in March
    assert c.loc[feb, 1] == 0.0 and pd.isna(c.loc[feb, 2]) and pd.isna(c.loc[march, 1])
    assert c.loc[_dt.date(2025, 4, 1), "size"] == 0 and pd.isna(c.loc[_dt.date(2025, 4, 1), 1])


def test_a_buyer_of_an_older_cohort_is_in_no_cohort_of_the_window(con):
    """X paid in 2025-02, before the 12 months to March, and again in 2026-02: X's cohort is 2025-02,
    not February. Y paid first in 2026-02 and again in March; Z on 2025-04-01 00:00, the window's
    first moment. So February's cohort is Y alone (size 1, all back in March), April 2025's is Z,
    and March's is empty (Y is no new buyer in March)."""
    def paid(oid, who, ts):
        return dict(order_id=oid, buyer_id=who, created_at=ts, paid_at=ts, goods_amount="10", paid_amount="10")

    t = load(con, orders=[paid("x1", "X", "2025-02-10 12:00"), paid("x2", "X", "2026-02-10 12:00"),
                          paid("y1", "Y", "2026-02-10 12:00"), paid("y2", "Y", "2026-03-05 12:00"),
                          paid("z1", "Z", "2025-04-01 00:00")])
    c = members.cohorts(t, MARCH).set_index("cohort")
    feb, march, april = _dt.date(2026, 2, 1), _dt.date(2026, 3, 1), _dt.date(2025, 4, 1)
    assert c["size"].to_dict() == {**dict.fromkeys(c.index, 0), april: 1, feb: 1}
    assert c.loc[feb, 1] == 1.0 and c.loc[april, 1] == 0.0 and c.loc[march, "size"] == 0


def test_cohorts_are_listed_oldest_first(t):
    c = members.cohorts(t, MARCH)
    assert c.cohort.tolist() == [_dt.date(2025 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(12)]  # 2025-04 … 2026-03


def test_sales_and_repeat_rate_by_membership_level(t, con):
    # A is VIP2 and B VIP1; E (a guest) is not a member. March: A 500 in 2 orders, B 50, E 20
    load(con, members=[dict(buyer_id="A", level="VIP2", joined_on="2025-06-10"),
                       dict(buyer_id="B", level="VIP1", joined_on="2026-03-10"),
                       dict(buyer_id="C", level="VIP1", joined_on="2026-02-15")])
    df = members.by_level(t, MARCH)
    assert df.level.tolist() == ["VIP1", "VIP2", members.NON_MEMBER]  # C did not buy in March
    assert df[["buyers", "paid_amount", "repeat_rate"]].values.tolist() == [[1, 50, 0], [1, 500, 1], [1, 20, 0]]
    assert df.share.tolist() == pytest.approx([50 / 570, 500 / 570, 20 / 570])


def test_buyers_tied_on_every_measure_are_placed_by_buyer_id(con):
    """Q, R, S, T and U each paid one ¥100 order on 2026-03-31; P paid ¥100 on 03-01 and on 03-31.
    At 03-31, 6 buyers: every score orders the tied five by buyer id before P (R: same recency, fewer
    orders first; F and M: fewer, smaller), so Q … U hold places 1–5 and P place 6; ⌈5 × place ÷ 6⌉
    = 1, 2, 3, 4, 5, 5. FM = the same score; segments by (R, FM): Q (1, 1) dormant, R (2, 2)
    about_to_sleep, S (3, 3) loyal, T, U and P (4–5, 4–5) champions."""
    def paid(oid, who, day):
        ts = f"{day} 12:00"
        return dict(order_id=oid, buyer_id=who, created_at=ts, paid_at=ts, goods_amount="100", paid_amount="100")

    t = load(con, orders=[paid("p1", "P", "2026-03-01"), paid("p2", "P", "2026-03-31"),
                          *(paid(f"{b.lower()}1", b, "2026-03-31") for b in "UTSRQ")])
    r = members.rfm(t, MARCH.end).set_index("buyer")
    assert r.loc[list("QRSTUP"), ["r", "f", "m", "fm"]].values.tolist() == [
        [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4], [5, 5, 5, 5], [5, 5, 5, 5]]
    assert r.segment.to_dict() == {"Q": "dormant", "R": "about_to_sleep", "S": "loyal", "T": "champions",
                                   "U": "champions", "P": "champions"}
    s = members.segments(t, MARCH.end, _dt.date(2026, 3, 1)).set_index("segment")
    # at 03-01 only P had bought: alone, every score 5, a champion then and now
    assert s.loc["champions", ["buyers", "moved_in", "moved_out"]].tolist() == [3, 0, 0]
    assert s.loc["dormant", ["buyers", "moved_in"]].tolist() == [1, 0] and s.buyers.sum() == 6


@pytest.mark.parametrize("buyers", [1, 3, 4, 6, 9, 160])
def test_scores_are_the_quintiles_of_a_plain_ranking(con, buyers):
    """Random buyers, ties on every measure (a few days, 1–3 orders, a few prices), scored against a
    ranking written out plainly: each score's order sorted whole, ⌈5 × position ÷ n⌉ — at sizes
    where a cut is at position 0 (n < 5), at the end of a group of ties, or inside one."""
    import random

    rnd = random.Random(buyers)
    orders, seen = [], {}
    for k in range(buyers):
        who = f"B{rnd.randrange(10 ** 6):06d}"
        for j in range(rnd.choice((1, 1, 1, 2, 3))):
            day = _dt.date(2026, 3, 31) - _dt.timedelta(days=rnd.choice((0, 3, 40, 200)))
            amount = rnd.choice(("99.00", "99.00", "129.50", "10.00"))
            orders.append(dict(order_id=f"o{k}-{j}", buyer_id=who, created_at=f"{day} 12:00", paid_at=f"{day} 12:00",
                               goods_amount=amount, paid_amount=amount))
            m = seen.setdefault(who, {"last": day, "frequency": 0, "money": 0})
            m["last"], m["frequency"], m["money"] = max(m["last"], day), m["frequency"] + 1, m["money"] + float(amount)
    want = pd.DataFrame([dict(buyer=b, recency=(MARCH.end - v["last"]).days, frequency=v["frequency"],
                              monetary=v["money"]) for b, v in seen.items()])
    n = len(want)
    for score, by, up in (("r", ["recency", "frequency"], [False, True]), ("f", ["frequency", "monetary"], [True, True]),
                          ("m", ["monetary", "frequency"], [True, True])):
        ranked = want.sort_values(by + ["buyer"], ascending=up + [True]).buyer.tolist()
        want[score] = [-(-5 * (ranked.index(b) + 1) // n) for b in want.buyer]
    got = members.rfm(load(con, orders=orders), MARCH.end)
    assert got[["buyer", "recency", "frequency", "r", "f", "m"]].values.tolist() == \
        want.sort_values("buyer")[["buyer", "recency", "frequency", "r", "f", "m"]].values.tolist()
    assert got.monetary.tolist() == pytest.approx(want.sort_values("buyer").monetary.tolist())


def test_cohorts_are_a_plain_count_of_first_and_later_months(con):
    """Random buyers paying on random days from 2024-12 to 2026-04 (guests, who are buyers of their
    own, among them), against the table written out plainly: each buyer's first paid month ever,
    and for each cohort of the 12 months to March 2026 and each month after, who paid in it."""
    import random

    rnd = random.Random(7)
    orders, paid_months = [], {}
    for k in range(300):
        who = rnd.choice([None] + [f"U{j}" for j in range(60)])
        day = _dt.date(2024, 12, 1) + _dt.timedelta(days=rnd.randrange(500))
        orders.append(dict(order_id=f"o{k}", buyer_id=who, created_at=f"{day} 08:00", paid_at=f"{day} 08:00",
                           goods_amount="10", paid_amount="10"))
        if day < _dt.date(2026, 4, 1):
            paid_months.setdefault(who or f"#order:o{k}", set()).add(day.replace(day=1))
    got = members.cohorts(load(con, orders=orders), MARCH)
    months = got.cohort.tolist()
    for i, c in enumerate(months):
        cohort = [ms for ms in paid_months.values() if min(ms) == c]
        assert got["size"].iat[i] == len(cohort)
        for k in range(1, 12):
            later = months[i + k] if i + k < 12 else None
            if later is None or not cohort:
                assert pd.isna(got[k].iat[i])
            else:
                assert got[k].iat[i] == pytest.approx(sum(later in ms for ms in cohort) / len(cohort))


def test_cohorts_of_more_months_than_a_number_has_bits_are_refused(t):
    with pytest.raises(ValueError, match="expected 1 … 62 months"):
        members.cohorts(t, MARCH, 63)


def test_a_buyer_id_no_sql_literal_can_hold_is_scored(con):
    """Ingest strips control characters from ids, a warehouse filled otherwise may not. "a\\0" and "b"
    each paid ¥10 on 03-05: tied on every measure, "a\\0" comes first by id. n = 2: cuts ⌊2j ÷ 5⌋ = 0,
    0, 1, 1, so place 1 scores 1 + 2 = 3 and place 2 scores 5: "a\\0" R3 FM3 loyal, "b" champions."""
    def paid(oid, who):
        return dict(order_id=oid, buyer_id=who, created_at="2026-03-05 12:00", paid_at="2026-03-05 12:00",
                    goods_amount="10", paid_amount="10")

    t = load(con, orders=[paid("o1", "a\x00"), paid("o2", "b")])
    r = members.rfm(t, MARCH.end).set_index("buyer")
    assert r.loc[["a\x00", "b"], ["r", "f", "m", "fm"]].values.tolist() == [[3, 3, 3, 3], [5, 5, 5, 5]]
    assert r.segment.to_dict() == {"a\x00": "loyal", "b": "champions"}
    s = members.segments(t, MARCH.end, _dt.date(2026, 2, 28)).set_index("segment")
    assert s.loc[["loyal", "champions"], "buyers"].tolist() == [1, 1]
