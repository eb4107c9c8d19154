"""Many rows into one table at the driver's own speed.

SQLAlchemy's executemany builds each row's parameters through its compiled statement: a
dictionary a row, each value through the column type's bind processor by a general loop, some
ten microseconds a row, as much as SQLite's own insert. For a table the writer fills with many
rows a batch, the statement is written once, each column's processor looked up once, and the
rows go to the driver as tuples, stored exactly as SQLAlchemy would store them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

from storage.engine import positional_mark

#: A column's bind processor (None: the value goes to the driver as it is).
Processor = Callable[[Any], Any] | None


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` into ``table`` in one executemany; a column some row lacks is NULL
    there (no Python-side defaults: rows give every value they need)."""
    if not rows:
        return
    given = set().union(*rows)
    names = tuple(column.name for column in table.columns if column.name in given)
    statement, processors = _prepared(table, names, conn.dialect)
    columns = [[row.get(name) for row in rows] for name in names]
    for values, process in zip(columns, processors, strict=True):
        if process is not None:
            values[:] = [None if value is None else process(value) for value in values]
    conn.exec_driver_sql(statement, list(zip(*columns, strict=True)))


@lru_cache(maxsize=64)
def _prepared(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[Processor, ...]]:
    """The statement for these columns in the driver's parameter style, and their processors."""
    marker = positional_mark(dialect)
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"VALUES ({', '.join(marker for _ in names)})"
    )
    processors = tuple(
        table.columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    return statement, processors
