"""Count the SQL statements a piece of work sends, for benchmarks and statement-count tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlalchemy import event


class StatementCount:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def counting_statements(engine: sqlalchemy.engine.Engine) -> Iterator[StatementCount]:
    """Every statement `engine` executes inside the block (transaction control excluded)."""
    count = StatementCount()

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        count.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", record)
