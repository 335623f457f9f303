"""``INSERT … SELECT`` from a queryset: rows written by the database, none built in Python.

The jobs record history and claim emails for hundreds of rows at a time; building those rows
as Python objects cost more than the UPDATE they accompany. Works on PostgreSQL and SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.expressions import Combinable


def insert_from_select(
    *,
    model: type[models.Model],
    source: QuerySet,
    columns: Mapping[str, Combinable],
    ignore_conflicts: bool = False,
) -> int:
    """Insert one ``model`` row per row of ``source``; ``columns`` maps each target column to
    an expression over ``source``. Returns how many rows were inserted (rows a unique
    constraint refused are skipped when ``ignore_conflicts``)."""
    aliases = {f"insert_{index}": expression for index, expression in enumerate(columns.values())}
    select_sql, params = source.order_by().values(**aliases).query.sql_with_params()
    quote = connection.ops.quote_name
    target = ", ".join(quote(column) for column in columns)
    picked = ", ".join(quote(alias) for alias in aliases)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join.
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({target}) "
        f"SELECT {picked} FROM ({select_sql}) AS source WHERE true"
    )
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount
