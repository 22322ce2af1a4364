"""A values_list query compiled once, then run with new arguments.

Django compiles a queryset to SQL on every evaluation: on this service's hot paths (the API
token, the catalogue, the slot list's practitioners) compiling cost four to five times what
running the query did (bench/README, "Issue 22": an ORM token lookup 1.2 ms of CPU, the same
SQL through the cursor 0.24 ms). A `Precompiled` builds its queryset once per database
vendor with stand-in arguments, keeps the SQL, the parameters and Django's own value
converters, and afterwards only swaps the arguments in and executes through a cursor wrapper
the connection keeps for these queries (`_held_cursor`), so the query counts, the metrics and
the connection health checks stay as they are.

Only for querysets whose SQL does not depend on the argument values: scalar arguments
(int, str, date, aware datetime) compared with `=`, `<` and the like, no `None` (which
compiles to IS NULL) and no `__in` lists but of one item (a list compiles to one placeholder
per item). On PostgreSQL a list of ids goes in whole as one array parameter through
`any_of` below (`column = ANY(%s::bigint[])`): its kind is `list`, and it holds ints.
The stand-ins are unusual values of the argument's type (negative ints, dates in the year
1000); compiling fails loudly if one of them does not reach the parameters
unchanged, e.g. an int compared with a PositiveIntegerField, which Django refuses to compare
with a negative number. Callers keep ints within the column's range (for a number out of
it PostgreSQL finds nothing, SQLite's driver raises OverflowError). A select_for_update()
query runs only inside a transaction, as Django's own check insists.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import BigIntegerField, F, Lookup, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.db.transaction import TransactionManagementError
from django.utils.asyncio import async_unsafe

# Ints within 16 bits: Django turns an `=` against an integer column with a value out of the
# column's range into "no rows" at compile time, so a stand-in must fit even a SmallIntegerField.
# Negative, where ids and counts never are, so that no constant in the query looks like one.
_INT_STAND_INS = itertools.count(-30_001, -1)

# Where a connection keeps its cursor for precompiled queries, with the driver connection it
# was made on (_held_cursor).
_HELD = "_precompiled_cursor"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (parameter position, argument index, how the backend passed the stand-in: its type, or
    # str for a date SQLite's backend passed as ISO text)
    slots: tuple[tuple[int, int, Callable[[Any], Any] | None], ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]  # (column, converters, expression)
    locks: bool  # select_for_update(): only inside a transaction, as Django insists


class Precompiled:
    """`Precompiled(lambda key: Token.objects.filter(key=key).values_list(...), str)`: call it
    with the arguments, get the rows (tuples) the values_list would give."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        *kinds: type[int] | type[str] | type[date] | type[datetime] | type[list[int]],
    ) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        if len(args) != len(self._kinds):
            raise TypeError(f"expected {len(self._kinds)} arguments, got {len(args)}")
        for arg, kind in zip(args, self._kinds, strict=True):
            if type(arg) is not kind:  # bool is not an int here, datetime not a date, None never
                raise TypeError(f"expected {kind.__name__}, got {type(arg).__name__}")
            if isinstance(arg, datetime) and arg.tzinfo is None:
                raise TypeError("expected an aware datetime")
            if isinstance(arg, list) and (not arg or any(type(item) is not int for item in arg)):
                raise TypeError("expected a list of ints, not empty")
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor)) or self._compile(using)
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = list(compiled.params)
        for position, index, wrap in compiled.slots:
            params[position] = args[index] if wrap is None else wrap(args[index])
        held = _held_cursor(connection)
        # While queries are logged, Django's debug cursor: a new one, closed after, as always.
        with connection.cursor() if held is None else nullcontext(held) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values = list(row)
            for column, functions, expression in compiled.converters:
                value = values[column]
                for function in functions:
                    value = function(value, expression, connection)
                values[column] = value
            converted.append(tuple(values))
        return converted

    def _compile(self, using: str) -> _Compiled:
        stand_ins = [_stand_in(kind) for kind in self._kinds]
        queryset = self._build(*stand_ins).using(using)
        if queryset._fields is None:  # type: ignore[attr-defined]
            raise TypeError("Precompiled takes a values_list() queryset")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots: list[tuple[int, int, Callable[[Any], Any] | None]] = []
        for index, stand_in in enumerate(stand_ins):
            passed = [(n, _passed_as(p, stand_in, connections[using].ops)) for n, p in enumerate(params)]
            found = [(n, index, wrap) for n, (same, wrap) in passed if same]
            if not found:
                raise ValueError(f"argument {index} does not reach the SQL unchanged: {sql}")
            slots.extend(found)
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(functions), expression)
            for column, (functions, expression) in compiler.get_converters(columns).items()
        )
        locks = bool(queryset.query.select_for_update)
        compiled = _Compiled(sql, tuple(params), tuple(slots), converters, locks)
        self._compiled[(using, connections[using].vendor)] = compiled
        return compiled


@async_unsafe  # as Django's connection.cursor() is
def _held_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper | None:
    """The cursor wrapper this connection keeps for precompiled queries, made by Django the
    first time and again whenever the connection is a new one; None while queries are logged
    (DEBUG, or a CaptureQueriesContext), when the caller must take Django's debug cursor.

    Creating a cursor for every query cost a twentieth of a worker's CPU under load (bench/README,
    "Issue 22, ninth pass"): the wrapper, the driver's cursor and its adapters. A precompiled query
    reads all its rows before it returns and nothing else uses this cursor, so one result never
    meets another. What `connection.cursor()` checks each time is checked here too, in its
    order: no running event loop in this thread, the health check at a request's first query,
    a connection opened if there is none, the thread that owns it.
    Each execute still goes through the wrapper: the execute wrappers (metrics), the broken
    transaction check and Django's error types."""
    if connection.queries_logged:
        return None
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    held: tuple[Any, CursorWrapper] | None = connection.__dict__.get(_HELD)
    if held is not None and held[0] is connection.connection:
        return held[1]
    # Django's own, for a connection this one has not seen: the old driver connection is held
    # until then, so no new one can be mistaken for it.
    cursor = connection.cursor()
    connection.__dict__[_HELD] = (connection.connection, cursor)
    return cursor


def _passed_as(param: Any, stand_in: Any, ops: Any) -> tuple[bool, Callable[[Any], Any] | None]:
    """(whether `param` is `stand_in`, how the backend passed it: None as it is, else a
    callable that does the same to an argument)."""
    if isinstance(stand_in, date):  # datetimes too: SQLite's backend passes both as text
        adapt = ops.adapt_datetimefield_value if isinstance(stand_in, datetime) else ops.adapt_datefield_value
        adapted = adapt(stand_in)
        if type(param) is not type(adapted) or param != adapted:
            return False, None
        return True, None if adapted is stand_in or type(adapted) is type(stand_in) else adapt
    if isinstance(param, bool) or not isinstance(param, type(stand_in)) or param != stand_in:
        return False, None
    # psycopg's Int8 and the like: PostgreSQL's backend names the column's type this way
    return True, None if type(param) is type(stand_in) else type(param)


def _stand_in(kind: type) -> Any:
    if kind is int:
        return next(_INT_STAND_INS)
    if kind is list:  # two items: any_of writes one item as `=`, and this must reach ANY(...)
        return [next(_INT_STAND_INS), next(_INT_STAND_INS)]
    if kind is str:
        return f"\x1fprecompiled-{next(_INT_STAND_INS)}"
    if kind is datetime:  # instants of the year 1000: no clinic books then
        return datetime(1000, 1, 1, tzinfo=UTC) + timedelta(seconds=-30_001 - next(_INT_STAND_INS))
    if kind is date:
        return date(1000, 1, 1) + timedelta(days=-30_001 - next(_INT_STAND_INS))
    raise TypeError(f"Precompiled takes int, str, date, datetime and list arguments, not {kind.__name__}")


def columns(model: Any, through: str = "") -> Sequence[str]:
    """The values_list names of `model`'s concrete fields (reached through `through`, e.g.
    "user__"), in the order `instances` reads them back."""
    return [f"{through}{field.name}" for field in model._meta.concrete_fields]


def instances(row: Sequence[Any], *models: Any, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    """The model instances in a row selected with `columns(model)` for each model in turn, as
    Model.from_db builds them for a queryset; None for a model whose primary key is NULL (an
    outer join that found nothing)."""
    found = []
    at = 0
    for model in models:
        attnames, pk_at = _layout(model)
        values = row[at : at + len(attnames)]
        at += len(attnames)
        found.append(None if values[pk_at] is None else model.from_db(using, attnames, values))
    return found


@cache
def _layout(model: Any) -> tuple[list[str], int]:
    """A model's concrete attnames and the position of its primary key (every API call reads
    the token's three models: worked out once, not per row)."""
    fields = model._meta.concrete_fields
    return [field.attname for field in fields], next(n for n, field in enumerate(fields) if field.primary_key)


class _AnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs an array: PostgreSQL plans it as it plans `lhs IN (...)`."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def as_array(ids: list[int]) -> bool:
    """Whether `any_of(field, ids)` passes `ids` as one array parameter (on PostgreSQL, two or
    more), i.e. whether a query built with it may run as a Precompiled `list` argument."""
    return len(ids) > 1 and connection.vendor == "postgresql"


def any_of(field: str, ids: list[int]) -> Q:
    """`field` is one of `ids` (bigint ids). On PostgreSQL, with two or more, the list is one
    bigint[] parameter, so a query built with it can be Precompiled with a `list` argument and
    then run for any number of ids; otherwise Django's `__in` (one placeholder an item)."""
    if as_array(ids):
        array = Cast(Value(ids, output_field=ArrayField(BigIntegerField())), ArrayField(BigIntegerField()))
        return Q(_AnyOf(F(field), array))
    return Q(**{f"{field}__in": ids})
