"""A few hot statements run on the DB-API cursor, their SQL compiled once per dialect.

An import applies one package per transaction, about ten statements each; through
SQLAlchemy's execution layer every statement paid some 40 µs (execution context, parameter
processing, result set-up) for a few µs of database work. A `Prepared` statement is built
from an ordinary Core statement, compiled for the session's dialect on first use (SQLite's
`?` or PostgreSQL's `%(name)s`, literal parameters and bind processors kept), and run on the
session's own connection: same transaction, no flush, no identity map. A database error
comes out as SQLAlchemy's (`IntegrityError`, `OperationalError`…), as from `execute`.

Only for statements whose columns and types are plain (text, numbers, booleans); anything
else goes through `session.execute`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # parameter order (positional dialects), else all names
    positional: bool
    fixed: dict[str, Any]  # literal values the statement carries
    processors: dict[str, Callable[[Any], Any]]

    @cached_property
    def _in_order(self) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """The values of a mapping as a tuple in parameter order (itemgetter's, in C)."""
        if not self.names:
            return lambda _values: ()
        get = itemgetter(*self.names)
        return (lambda values: (get(values),)) if len(self.names) == 1 else get

    def take(self, params: Mapping[str, Any]) -> Any:
        """The DB-API arguments for `params`: the values in order (positional), or a dict."""
        values = {**self.fixed, **params} if self.fixed else params
        if self.processors:
            values = dict(values)
            for name, process in self.processors.items():
                values[name] = process(values[name])
        return self._in_order(values) if self.positional else values


class Prepared:
    """A Core statement (`columns`: an INSERT's column names, else empty) run on the
    DB-API cursor of the session's connection. `statement` may also map dialect names to
    statements, for SQL the dialects spell differently (ON CONFLICT)."""

    def __init__(
        self,
        statement: ClauseElement | Mapping[str, ClauseElement],
        columns: Sequence[str] = (),
    ) -> None:
        self._statement, self._columns = statement, list(columns)
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            statement = self._statement
            if isinstance(statement, Mapping):
                statement = statement[dialect.name]
            compiled = cast(
                SQLCompiler,
                statement.compile(dialect=dialect, column_keys=self._columns or None),
            )
            if compiled.insert_prefetch or compiled.update_prefetch:
                raise ValueError(f"column defaults are not applied here: {compiled}")
            names = tuple(compiled.positiontup or compiled.binds)
            fixed = {
                name: bind.value
                for name, bind in compiled.binds.items()
                if not bind.required and name not in self._columns
            }
            processors = dict(getattr(compiled, "_bind_processors", {}))
            found = _Compiled(str(compiled), names, compiled.positional, fixed, processors)
            self._by_dialect[dialect.name] = found
        return found

    def run(self, session: Session, params: Mapping[str, Any]) -> None:
        """Execute once, for its effect."""
        self._call(session, params, many=False, fetch=None)

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Execute once; the first row (a SELECT's, or an INSERT's RETURNING), or None."""
        row = self._call(session, params, many=False, fetch="one")
        return None if row is None else tuple(row)

    def rows(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Execute once; every row."""
        return [tuple(row) for row in self._call(session, params, many=False, fetch="all")]

    def run_many(self, session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
        """Execute once per row (executemany)."""
        self._call(session, rows, many=True, fetch=None)

    def _call(self, session: Session, params: Any, *, many: bool, fetch: str | None) -> Any:
        connection = session.connection()
        dialect = connection.dialect
        compiled = self._compiled(dialect)
        arguments = [compiled.take(row) for row in params] if many else compiled.take(params)
        cursor = connection.connection.cursor()
        try:
            if many:
                cursor.executemany(compiled.sql, arguments)
            else:
                cursor.execute(compiled.sql, arguments)
            if fetch == "one":
                return cursor.fetchone()
            return cursor.fetchall() if fetch == "all" else None
        except dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(
                compiled.sql, arguments, error, dialect.loaded_dbapi.Error, dialect=dialect
            ) from error
        finally:
            cursor.close()
