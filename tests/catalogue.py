"""The shared test database's catalogue (promotions, packages) put back after a test.

Promotions and prices change every other test's quotes: a test that switches a promotion on
or edits a package must leave them as it found them, even when it fails halfway.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlmodel import SQLModel

from heyon_app import db

TABLES = ("promotion", "package")


@contextmanager
def restored() -> Iterator[None]:
    tables = {name: SQLModel.metadata.tables[name] for name in TABLES}
    with db.engine().connect() as conn:
        saved = {
            name: conn.execute(sqlalchemy.select(table)).mappings().all()
            for name, table in tables.items()
        }
    try:
        yield
    finally:
        with db.engine().begin() as conn:
            for name, table in tables.items():
                for row in saved[name]:
                    conn.execute(table.update().where(table.c.id == row["id"]).values(**row))
            # Promotions a test created (never used by an order) go again.
            promotion = tables["promotion"]
            kept = [row["id"] for row in saved["promotion"]]
            redeemed = SQLModel.metadata.tables["promotionredemption"]
            conn.execute(
                promotion.delete().where(
                    promotion.c.id.not_in(kept),
                    promotion.c.id.not_in(sqlalchemy.select(redeemed.c.promotion_id)),
                )
            )
