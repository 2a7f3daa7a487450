"""``logistics.api.rows.ValuesRows``: for every API endpoint that reads its rows with ``values()``,
the JSON equals what the declared serializer gives for the same objects (list and detail)."""

import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver, reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from logistics.accounts.roles import Role
from logistics.api.rows import ValuesRows, row_columns
from logistics.workflow import guard

pytestmark = pytest.mark.django_db


def rows_viewsets():
    """{viewset class: list URL} of every routed viewset with ``list_rows`` or ``detail_rows``."""
    found = {}

    def walk(patterns, namespaces):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, [*namespaces, pattern.namespace] if pattern.namespace else namespaces)
                continue
            cls = getattr(pattern.callback, "cls", None)
            actions = getattr(pattern.callback, "actions", None) or {}
            if (
                cls is None
                or actions.get("get") != "list"
                or not pattern.name
                or "format" in pattern.pattern.regex.pattern
            ):
                continue
            if getattr(cls, "list_rows", None) or getattr(cls, "detail_rows", None):
                found[cls] = reverse(":".join([*namespaces, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return found


def make_tickets(school, make_user, photo):
    from repairs import services
    from tests.factories import RoomFactory

    room = RoomFactory(school=school, building__school=school, building__campus__school=school)
    head = make_user(Role.LOGISTICS_HEAD, school, username="rows-head")
    teacher = make_user(Role.TEACHER, school, username="rows-teacher")
    workers = [
        make_user(Role.REPAIR_WORKER, school, username=name, trades="carpentry") for name in ("zhang", "an", "bo")
    ]
    workers[0].display_name = "张师傅"
    workers[0].save()
    plain = services.create_ticket(school=school, user=teacher, room=room, trade="plumbing", description="滴水")
    busy = services.create_ticket(
        school=school, user=teacher, room=room, trade="carpentry", description="门锁", photos=[photo()]
    )
    services.assign(busy, head, workers)
    services.start(busy, workers[0])
    services.log_work(busy, workers[0], 25, note="换锁")
    services.add_part(busy, workers[0], "门锁", quantity="1.5", unit="把", unit_cost="45")
    services.complete(busy, workers[0], "human_damage", damage_amount="45", damage_responsible="七(1)班")
    return [head, make_user(Role.REPAIR_WORKER, school, trades="plumbing")], [plain, busy]


def make_assets(school, make_user, photo):
    from tests.assets.factories import make_asset

    staff = make_user(Role.LOGISTICS_HEAD, school)
    worker = make_user(Role.REPAIR_WORKER, school)  # sees cards, not their values
    custodian = make_user(Role.TEACHER, school)
    cards = [make_asset(school), make_asset(school, custodian=custodian, room=None), make_asset(school)]
    return [staff, worker], cards


@pytest.fixture
def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.repairs.conftest import png_bytes

    return lambda name="photo.png": SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def make_samples(school, make_user, photo):
    from canteen import services
    from canteen.models import MealService

    manager = make_user(Role.CANTEEN_MANAGER, school, username="rows-canteen")
    cook = make_user(Role.CANTEEN_STAFF, school, username="rows-cook")
    meal = MealService.objects.create(school=school, meal="lunch")
    services.set_dishes(meal, ["米饭", "红烧肉"])
    dishes = list(meal.dishes.order_by("position"))
    samples = [
        services.record_sample(dish=dishes[0], actor=cook, weight_grams=150, container="1号柜", photo=photo()),
        services.record_sample(dish=dishes[1], actor=cook, weight_grams=125),
    ]
    return [manager, cook], samples


def make_charges(school, make_user, photo):
    """Finance charges with every kind of record behind their figures: a payment, a reversed payment, an
    approved waiver, an approved and a rejected refund; the officer sees all, a parent their child's."""
    import datetime

    from finance import money, services
    from finance.models import Charge, Consent
    from tests.factories import GradeFactory, GuardianLinkFactory, SchoolClassFactory, StudentFactory
    from tests.finance.conftest import make_item, publish

    people = SimpleNamespace(
        officer=make_user(Role.FINANCE_OFFICER, school, username="rows-finance"),
        principal=make_user(Role.PRINCIPAL, school, username="rows-principal"),
        parent=make_user(Role.PARENT, school, username="rows-parent"),
    )
    grade = GradeFactory(school=school, name="一年级", order=1)
    klass = SchoolClassFactory(school=school, grade=grade, name="1班")
    students = [StudentFactory(school=school, school_class=klass, name=f"学生{i}") for i in range(3)]
    GuardianLinkFactory(school=school, student=students[0], guardian=people.parent)
    item = make_item(school)
    publish(school, people)
    services.open_consents(item, people.officer)
    scan = lambda: photo("form.png")  # noqa: E731
    for consent in Consent.objects.filter(fee_item=item):
        guard.run(consent, "give", people.officer, signed_by="家长", paper_form=scan())
    money.generate_charges(item, people.officer)
    first, second, _third = Charge.objects.filter(fee_item=item).order_by("student__student_number")
    day = datetime.date(2026, 9, 10)
    money.record_payment(first, people.officer, "60", "cash", "R-1", day)
    wrong = money.record_payment(second, people.officer, "30.50", "cash", "R-2", day)
    guard.run(wrong, "reverse", people.principal, reason="录错")
    guard.run(money.request_waiver(second, people.officer, "20", "individual", "困难"), "approve", people.principal)
    guard.run(money.request_refund(first, people.officer, "10.25", "多收"), "approve", people.principal)
    guard.run(money.request_refund(first, people.officer, "5", "重复"), "reject", people.principal, reason="不退")
    return [people.officer, people.parent], list(Charge.objects.filter(fee_item=item))


def make_rounds(school, make_user, photo):
    import datetime

    from django.utils import timezone

    from safety.models import PatrolRound, Route

    head = make_user(Role.LOGISTICS_HEAD, school, username="rows-safety")
    guard = make_user(Role.GUARD, school, username="rows-guard")
    guard.display_name = "王<保安>"
    guard.save()
    route = Route.objects.create(school=school, name="夜间 & 围墙")
    start = timezone.now().replace(microsecond=0)
    rows = [
        dict(guard=guard, status="complete", stops_total=5, stops_done=5, flagged_scans=2),
        dict(guard=None, status="missed", stops_total=5, stops_done=0, flagged_scans=0),
    ]
    rounds = [
        PatrolRound.objects.create(
            school=school,
            route=route,
            planned_start=start - datetime.timedelta(hours=k),
            planned_end=start,
            grace_until=start,
            **row,
        )
        for k, row in enumerate(rows)
    ]
    return [head], rounds


MAKERS = {
    "repairs.ticket": make_tickets,
    "assets.asset": make_assets,
    "canteen.foodsample": make_samples,
    "finance.charge": make_charges,
    "safety.patrolround": make_rounds,
}


def as_json(data):
    return json.loads(JSONRenderer().render(data))


def declared(rows, objects, user):
    request = SimpleNamespace(user=user, school=None, query_params={})
    return as_json(rows.serializer_class(objects, many=True, context={"request": request}).data)


def test_every_rows_endpoint_is_covered():
    found = rows_viewsets()
    assert found, "no endpoint uses ValuesRows"
    missing = [
        cls.__name__ for cls in found if (cls.list_rows or cls.detail_rows).model._meta.label_lower not in MAKERS
    ]
    assert not missing, f"add a maker to MAKERS for {missing}"


@pytest.mark.parametrize("viewset", list(rows_viewsets()), ids=lambda cls: cls.__name__)
def test_rows_equal_the_declared_serializer(viewset, school, make_user, api, photo):
    url = rows_viewsets()[viewset]
    model = (viewset.list_rows or viewset.detail_rows).model
    users, objects = MAKERS[model._meta.label_lower](school, make_user, photo)
    for user in users:
        client = api(user)
        if viewset.list_rows is not None:
            results = client.get(url, {"page_size": 500}).json()["results"]
            assert results, (url, user)
            by_pk = {obj.pk: obj for obj in model.objects.filter(pk__in=[r["id"] for r in results])}
            assert results == declared(viewset.list_rows, [by_pk[r["id"]] for r in results], user), user
        if viewset.detail_rows is not None:
            for obj in objects:
                body = client.get(f"{url}{obj.pk}/")
                if body.status_code == 404:
                    continue  # not this user's to see
                fresh = model.objects.get(pk=obj.pk)
                assert body.json() == declared(viewset.detail_rows, [fresh], user)[0], (user, obj)


class TestValuesRows:
    def test_method_field_without_declared_columns_is_refused(self):
        from repairs.models import Ticket

        class Undeclared(serializers.ModelSerializer):
            odd = serializers.SerializerMethodField()

            class Meta:
                model = Ticket
                fields = ["id", "odd"]

            def get_odd(self, obj):
                return obj.status

        with pytest.raises(ImproperlyConfigured, match="row_columns"):
            ValuesRows(Undeclared).fetch([1])

    def test_declared_method_field_and_null_foreign_key(self, school):
        from assets.models import Asset
        from tests.assets.factories import make_asset

        class Card(serializers.ModelSerializer):
            label = serializers.SerializerMethodField()
            custodian_name = serializers.CharField(source="custodian", default=None, read_only=True)

            class Meta:
                model = Asset
                fields = ["id", "room", "custodian", "custodian_name", "label"]

            @row_columns("code", "status")
            def get_label(self, obj):
                return f"{obj.code} {obj.get_status_display()}"

        card = make_asset(school, room=None)
        row = ValuesRows(Card).fetch([card.pk])[0]
        assert row == as_json(Card(Asset.objects.get(pk=card.pk)).data)
        assert row["room"] is None and row["custodian_name"] is None


def values_row_lists():
    """{(table class, model)} of every list page whose table reads its rows with ``values()``."""
    import importlib

    from logistics.ui.views import ObjectListView

    for app in ("repairs", "assets", "canteen", "safety"):
        importlib.import_module(f"{app}.views")
    found, todo = set(), list(ObjectListView.__subclasses__())
    while todo:
        view = todo.pop()
        todo.extend(view.__subclasses__())
        if view.table is not None and view.table.values_rows and view.queryset is not None:
            found.add((view.table, view.queryset.model, view.queryset))
    return sorted(found, key=lambda item: item[0].__name__)


def test_values_table_cells_equal_the_instances(school, make_user, photo):
    """A page's table read with ``values()`` shows exactly the cells it shows from model instances."""
    from logistics.ui.pagination import fetch_page

    found = values_row_lists()
    assert found, "no page reads its rows with values()"
    for table_class, model, queryset in found:
        _users, objects = MAKERS[model._meta.label_lower](school, make_user, photo)
        ids = [obj.pk for obj in objects]
        table = table_class(None)
        from_values = [cells for _row, cells in table.rows(table.fetch_rows(model, ids))]
        from_instances = [cells for _row, cells in table.rows(fetch_page(queryset, ids))]
        assert from_values == from_instances, table_class.__name__


@pytest.mark.parametrize("viewset", list(rows_viewsets()), ids=lambda cls: cls.__name__)
def test_rows_endpoints_take_the_sql_path(viewset):
    """Every rows endpoint's serializer compiles to SQL (``logistics.api.sqlrows``) on PostgreSQL — a
    field the SQL cannot build would silently send the endpoint back to the slower values path."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQL path is PostgreSQL's")
    for rows in (viewset.list_rows, viewset.detail_rows):
        if rows is not None:
            assert rows.sql_expression() is not None, rows.serializer_class.__name__


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_sql_rows_format_edges_like_the_serializer(zone, school, make_user, photo):
    """Whole seconds (no microseconds in ISO 8601), UTC as ``Z``, a negative offset, nulls, decimals,
    labels in the current language, names falling back to the username: the SQL path gives exactly the
    serializer's JSON."""
    import datetime

    from django.db import connection
    from django.utils import timezone, translation

    from repairs.api.serializers import TicketDetailSerializer, TicketListSerializer
    from repairs.models import Ticket

    if connection.vendor != "postgresql":
        pytest.skip("the SQL path is PostgreSQL's")
    users, tickets = make_tickets(school, make_user, photo)
    whole = datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC)
    Ticket.objects.filter(pk=tickets[0].pk).update(submitted_at=whole, target_at=None)
    Ticket.objects.filter(pk=tickets[1].pk).update(
        submitted_at=whole.replace(microsecond=7), done_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    )
    ids = [t.pk for t in tickets]
    for language in ("zh-hans", "en"):
        with translation.override(language), timezone.override(zone):
            for serializer in (TicketListSerializer, TicketDetailSerializer):
                rows = ValuesRows(serializer)
                texts = rows.json_texts(ids)
                fresh = {t.pk: t for t in Ticket.objects.filter(pk__in=ids)}
                assert [json.loads(t) for t in texts] == declared(rows, [fresh[pk] for pk in ids], users[0])


def test_sql_rows_keep_the_order_of_ids_and_skip_missing(school, make_user, photo):
    from django.db import connection

    from repairs.api.serializers import TicketListSerializer

    if connection.vendor != "postgresql":
        pytest.skip("the SQL path is PostgreSQL's")
    _users, tickets = make_tickets(school, make_user, photo)
    rows = ValuesRows(TicketListSerializer)
    ids = [tickets[1].pk, 999_999, tickets[0].pk]
    assert [json.loads(t)["id"] for t in rows.json_texts(ids)] == [tickets[1].pk, tickets[0].pk]
    assert rows.json_texts([]) == []
