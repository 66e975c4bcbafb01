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
