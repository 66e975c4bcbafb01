"""What the ingest tests share: a project with the shipped presets, and reading back what landed."""

from __future__ import annotations

import pytest

from storeops import ingest, warehouse
from tests.ingest import golden


@pytest.fixture
def project(tmp_path):
    return golden.project(tmp_path)


def ingested(cfg, *paths) -> list[ingest.FileReport]:
    """Ingest ``paths``, which must all load (none refused), every file's accounting exact."""
    done, refused = ingest.ingest_paths(cfg, list(paths))
    assert refused == [], [str(e) for e in refused]
    assert all(r.rows_read == r.rows_accepted + r.rows_rejected for r in done)
    return done


def stored(cfg, name, order_by):
    """A table of the project's warehouse, as stored, in ``order_by`` order."""
    con = warehouse.connect(cfg, read_only=True)
    try:
        return con.table(name).order_by(order_by).execute()
    finally:
        con.disconnect()
