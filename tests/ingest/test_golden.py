"""Ingest against its golden outcomes (tests/ingest/golden.py): the same accepted and rejected rows,
the same reasons, the same rows written, on every file of the bad-file corpus and every preset's
round trip. Saved before parsing became column-wise; any parser must reproduce them."""

from __future__ import annotations

import json

import pytest

from tests.ingest import golden
from tests.ingest.conftest import READINGS, reading


def _golden(kind: str, name: str) -> dict:
    return json.loads(golden.path_of(kind, name).read_text(encoding="utf-8"))


def _plain(value: dict) -> dict:
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True))


def test_every_file_has_its_golden_outcome():
    assert sorted(p.name.removesuffix(".json") for p in (golden.GOLDEN / "corpus").iterdir()) == \
        [f.name for f in golden.corpus()]
    assert sorted(p.stem for p in (golden.GOLDEN / "round_trip").iterdir()) == golden.round_trips()


@pytest.mark.parametrize("how", READINGS)
@pytest.mark.parametrize("path", golden.corpus(), ids=lambda p: p.name)
def test_corpus_file(path, how, tmp_path, monkeypatch):
    reading(how, monkeypatch)
    assert _plain(golden.outcome(golden.project(tmp_path), path)) == _golden("corpus", path.name)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    root = tmp_path_factory.mktemp("golden")
    return root, golden.demo_exports(root)


@pytest.mark.parametrize("how", ["columns", "rows"])
@pytest.mark.parametrize("name", golden.round_trips())
def test_round_trip(exports, name, how, monkeypatch):
    reading(how, monkeypatch)
    root, files = exports
    got = _plain(golden.round_trip(root / how, files, name))
    want = _golden("round_trip", name)
    assert got["reasons"] == want["reasons"] and got["tables"] == want["tables"]
    assert got == want
