"""The SQL statements that write, recorded as the database receives them (`connection.execute_wrapper`): signals
miss a queryset's update() and delete(), bulk_create(), bulk_update() and raw SQL. The permission matrix asserts that
no GET sends one; tests of a single page do the same."""

import re
from contextlib import contextmanager

from django.db import connection, connections

# After an optional WITH …, the statement's verb: a SELECT (… FOR UPDATE included) reads, these write.
_PREFIX = r"^\s*(?:WITH\b.*?\)\s*)?"
WRITING = re.compile(_PREFIX + r"(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.I | re.S)
WRITTEN_TABLE = re.compile(
    _PREFIX + r"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO"
    r"|TRUNCATE(?:\s+TABLE)?)\s+\"?([\w.]+)",
    re.I | re.S,
)


def written_table(sql):
    """The table a statement writes, "?" when it writes one this cannot name, None when it writes nothing."""
    if not WRITING.match(sql):
        return None
    found = WRITTEN_TABLE.match(sql)
    return found.group(1) if found else "?"


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
