"""The samples list keeps its rendered rows (``FoodSampleTable.cache_rows``, the generic ``ui/list.html``):
a second view reads no rows, a changed sample shows at once, and every table that keeps rows is over a
model whose every write moves ``updated`` (the key's guarantee)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canteen.models import FoodSample
from logistics.ui.tables import Table

from .conftest import sample_all

pytestmark = pytest.mark.django_db


def _rows(html):
    return html.split('id="object-table"')[1]


def test_a_second_view_reads_no_rows_and_a_changed_sample_shows_at_once(school, lunch, people, login):
    samples = sample_all(lunch, people.cook)
    client = login(people.manager)
    reads_rows = lambda ctx: [q for q in ctx.captured_queries if '"canteen_foodsample"."container"' in q["sql"]]  # noqa: E731
    with CaptureQueriesContext(connection) as once:
        first = client.get("/canteen/samples/").content.decode()
    assert reads_rows(once)
    with CaptureQueriesContext(connection) as again:
        second = client.get("/canteen/samples/").content.decode()
    assert not reads_rows(again)
    assert _rows(first) == _rows(second)
    sample = FoodSample.objects.get(pk=samples[0].pk)
    sample.container = "留样柜7号"
    sample.save()
    assert "留样柜7号" in _rows(client.get("/canteen/samples/").content.decode())


def _tables(cls=Table):
    for sub in cls.__subclasses__():
        yield sub
        yield from _tables(sub)


def test_tables_keeping_rows_are_over_models_with_an_updated_time():
    from django.urls import get_resolver

    def views(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns)
            else:
                yield getattr(p.callback, "view_class", None)

    keeping = [v for v in views(get_resolver().url_patterns) if getattr(getattr(v, "table", None), "cache_rows", 0)]
    assert keeping  # repairs, canteen samples, safety rounds
    for view in keeping:
        model = view.queryset.model
        assert "updated" in {f.name for f in model._meta.get_fields()}, view
