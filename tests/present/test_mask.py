import pytest

from storeops.present import mask


@pytest.mark.parametrize("raw, shown", [
    ("tb123456789", "tb1******89"), ("alice", "a****"), ("ab", "**"), (None, ""), ("张三丰的小店铺", "张三丰**店铺"),
])
def test_buyer(raw, shown):
    assert mask.buyer(raw) == shown


def test_phones_in_text():
    assert mask.phones("电话13812345678，备用19987654321") == "电话138****5678，备用199****4321"
    assert mask.phones("订单号 2611260000179889 不是电话") == "订单号 2611260000179889 不是电话"
    assert mask.phones("call +1 415-555-0123 now") == "call +1 ****23 now"
    assert mask.phones(None) == ""


@pytest.mark.parametrize("raw, shown", [
    ("139-1234-5678", "139****5678"), ("138 1234 5678", "138****5678"), ("+86 13812345678", "138****5678"),
    ("+86-138-1234-5678", "138****5678"), ("8613812345678", "138****5678"), ("008613812345678", "138****5678"),
    ("(+86)138 1234 5678", "138****5678"), ("138.1234.5678", "138****5678"),
    ("010-12345678", "010-****78"), ("(0571) 8765 4321", "0571-****21"), ("+86 571 87654321", "0571-****21"),
    ("0086 21 6123 4567", "021-****67"),
])
def test_every_phone_form_is_masked(raw, shown):
    assert mask.phones(f"电话{raw}。") == f"电话{shown}。"


@pytest.mark.parametrize("raw", ["订单号 2611260000179889", "2026-11-26 10:00:00", "¥1,234.00", "1381234567",
                                 "138123456789", "数量 12 件"])
def test_what_is_no_phone_stays(raw):
    assert mask.phones(raw) == raw


def test_buyer_ids_in_free_text():
    assert mask.free_text("找tbwang0001和tbwang00012", ["tbwang0001", "tbwang00012", "tb"]) == \
        "找tbw*****01和tbw******12"
