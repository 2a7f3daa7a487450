"""Prepared statements for hand-written hot-path queries (``logistics.system.prepared``)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.system import prepared

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, 'a%%b', %s::text"


def fresh():
    """The query under a text no earlier test prepared in this database session."""
    return f"{SQL} /* {uuid.uuid4().hex} */"


def run(sql, params):
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return cursor.fetchall()


def test_the_answer_is_the_query_s_and_it_is_prepared_once_per_connection():
    sql = fresh()
    with CaptureQueriesContext(connection) as first:
        assert run(sql, [41, "x"]) == [(42, "a%b", "x")]
    with CaptureQueriesContext(connection) as second:
        assert run(sql, [1, "y"]) == [(2, "a%b", "y")]
    if connection.vendor != "postgresql":
        assert [q["sql"] for q in second.captured_queries] == [q["sql"] for q in first.captured_queries]
        return
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
    assert "$1 + 1, 'a%b', $2::text" in first.captured_queries[0]["sql"]
    assert [q["sql"].split()[0] for q in second.captured_queries] == ["EXECUTE"]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    """A new database session has none of the old one's statements: the receiver of ``connection_created``
    forgets them, and the query is prepared again (else EXECUTE of an unknown name would fail)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    sql = fresh()
    run(sql, [1, "x"])
    connection.close()
    with CaptureQueriesContext(connection) as again:
        assert run(sql, [5, "x"]) == [(6, "a%b", "x")]
    assert [q["sql"].split()[0] for q in again.captured_queries] == ["PREPARE", "EXECUTE"]


def test_off_by_the_setting(settings):
    settings.HOUQIN_SQL_PREPARE = False
    with CaptureQueriesContext(connection) as queries:
        assert run(fresh(), [2, "z"]) == [(3, "a%b", "z")]
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


def test_a_prepared_statement_keeps_one_plan():
    """The database sessions keep a prepared statement's generic plan (settings: ``plan_cache_mode``): left
    to choose, PostgreSQL planned the API rows' statement again on every run (0.9 ms each)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
