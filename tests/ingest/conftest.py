"""What the ingest tests share: a project with the shipped presets, and reading back what landed."""

from __future__ import annotations

import pytest

from storeops import ingest, warehouse
from tests.ingest import golden


@pytest.fixture
def project(tmp_path):
    return golden.project(tmp_path)


#: how a file is read: column-wise in blocks as big as they come (row by row only for a chunk with
#: something wrong), column-wise in blocks of a row or two with row-by-row chunks of one row, or
#: all row by row (as a file the column reader declines: a workbook, undecodable bytes)
READINGS = ["columns", "small-chunks", "rows"]


def reading(how: str, monkeypatch) -> None:
    from storeops.ingest import read, rows

    if how == "small-chunks":
        monkeypatch.setattr(rows, "CHUNK_ROWS", 1)
        monkeypatch.setattr(read, "BLOCK", 256)
    elif how == "rows":
        def declined(table, header_idx):
            raise read.NotColumnar(table.path)

        monkeypatch.setattr(read, "batches", declined)


def ingested(cfg, *paths) -> list[ingest.FileReport]:
    """Ingest ``paths``, which must all load (none refused), every file's accounting exact."""
    done, refused = ingest.ingest_paths(cfg, list(paths))
    assert refused == [], [str(e) for e in refused]
    assert all(r.rows_read == r.rows_accepted + r.rows_rejected + r.rows_skipped for r in done)
    return done


def stored(cfg, name, order_by):
    """A table of the project's warehouse, as stored, in ``order_by`` order."""
    con = warehouse.connect(cfg, read_only=True)
    try:
        return con.table(name).order_by(order_by).execute()
    finally:
        con.disconnect()
