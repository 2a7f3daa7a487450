"""Server-side prepared statements for the few queries of a hot path that are long to plan (PostgreSQL).

psycopg2 sends every query as text, so PostgreSQL plans it again each time. For a query with many
subqueries planning costs more than running it: the guard's scan locks its round with eight subqueries
over the round's scans — 0.8 ms to plan, 0.4 ms to run, on every scan of every guard; an API list's rows
are built as JSON by one long expression. Such a query is prepared once per database session
(``PREPARE``; after five runs PostgreSQL keeps a generic plan) and run with ``EXECUTE``.

A prepared statement lives as long as its database session, whatever happens to the transactions in it
(it survives a rollback); a new session (the connection's underlying psycopg2 connection is another
object) prepares again. It needs a session of its own: behind a pooler in *transaction* mode (PgBouncer's
``pool_mode = transaction``) set ``HOUQIN_SQL_PREPARE = False`` (environment ``SQL_PREPARE=0``;
docs/deployment.md). Other databases (SQLite) run the query as it is.
"""

import hashlib
import itertools
import re

from django.conf import settings

#: Django's placeholders: ``%s`` a parameter, ``%%`` a percent sign
_PLACEHOLDER = re.compile(r"%(%|s)")
_KNOWN = "_houqin_prepared"


def enabled(connection):
    return connection.vendor == "postgresql" and getattr(settings, "HOUQIN_SQL_PREPARE", True)


def statement(cursor, key, text, types=()):
    """The name of the statement prepared on this database session for ``key`` (the text that tells
    statements apart); prepared at the first use from ``text()`` (PostgreSQL's ``$1``… placeholders),
    with the parameters' ``types`` where PostgreSQL cannot infer them."""
    connection = cursor.db
    raw = connection.connection
    known = connection.__dict__.get(_KNOWN)
    if known is None or known[0] is not raw:  # a new session: none of the old one's statements
        known = connection.__dict__[_KNOWN] = (raw, set())
    name = "houqin_" + hashlib.blake2s(key.encode(), digest_size=10).hexdigest()
    if name not in known[1]:
        typed = f" ({', '.join(types)})" if types else ""
        cursor.execute(f"PREPARE {name}{typed} AS {text()}")  # no parameters: psycopg2 sends the text as it is
        known[1].add(name)
    return name


def execute(cursor, sql, params=()):
    """Run ``sql`` (Django's ``%s`` placeholders) with ``params`` on ``cursor`` (a Django cursor), as a
    prepared statement where the database and the settings allow it."""
    params = list(params)
    if not enabled(cursor.db):
        cursor.execute(sql, params)
        return

    def numbered():
        numbers = itertools.count(1)
        return _PLACEHOLDER.sub(lambda match: "%" if match.group(1) == "%" else f"${next(numbers)}", sql)

    name = statement(cursor, sql, numbered)
    if params:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")
