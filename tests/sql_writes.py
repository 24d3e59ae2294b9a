"""The SQL statements that write, recorded as the database receives them (`connection.execute_wrapper`): signals
miss a queryset's update() and delete(), bulk_create(), bulk_update() and raw SQL. The permission matrix asserts that
no GET sends one; tests of a single page do the same. Which statement writes which table is jingzi.live's rule, the
one the portal renews its live tokens by."""

from contextlib import contextmanager

from django.db import connection, connections

from jingzi.live import written_table

__all__ = ["recording_sql_writes", "written_table"]


@contextmanager
def recording_sql_writes(using=None):
    """The list of the statements sent inside the block that write (on the default connection, or `using`'s)."""
    statements = []

    def record(execute, sql, params, many, context):
        if written_table(sql) is not None:
            statements.append(sql)
        return execute(sql, params, many, context)

    with (connections[using] if using else connection).execute_wrapper(record):
        yield statements
