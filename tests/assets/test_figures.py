"""Figures: dashboard widget, monthly-report section, reminder providers, labels, demo data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets import services
from assets.reminders import LowStockProvider, OverdueLoanProvider, StockTakeDueProvider
from assets.report import AssetsSection
from assets.widgets import AssetsWidget
from logistics.accounts.roles import Role
from logistics.notifications.models import Notification
from logistics.reminders.services import scan as reminder_scan
from logistics.reports.registry import Period

from .factories import make_asset, make_stock, staff_of

pytestmark = pytest.mark.django_db


def test_widget_context_and_district(school, other_school, make_user, login):
    make_asset(school, unit_price=Decimal("5000"))
    services.lend_asset(
        asset=make_asset(school), user=staff_of(school), borrower_name="李", expected_return=datetime.date.today()
    )
    make_stock(school, quantity=2, minimum_level=Decimal("5"))
    widget = AssetsWidget()
    context = widget.context(school, make_user(Role.PRINCIPAL, school))
    figures = dict(context["figures"])
    assert 2 in figures.values()
    with CaptureQueriesContext(connection) as few:
        widget.district_values([school])
    with CaptureQueriesContext(connection) as many:
        values = widget.district_values([school, other_school])
    assert len(few) == len(many)
    assert values[school.pk]["low_stock"] == 1
    body = login(make_user(Role.PRINCIPAL, school)).get("/").content.decode()
    assert 'data-widget="assets"' in body


def test_report_section(school, staff, head, principal):
    with time_machine.travel(datetime.datetime(2026, 3, 5, 2, 0, tzinfo=datetime.UTC)):
        asset = make_asset(school, purchase_date=datetime.date(2026, 3, 1))
        services.acquire_assets(
            school=school,
            user=staff,
            quantity=3,
            name="投影仪",
            category=asset.category,
            unit_price=Decimal("4500"),
            purchase_date=datetime.date(2026, 3, 2),
        )
        services.transfer_asset(asset=asset, user=staff, department="教务处")
        record = services.open_damage_record(school=school, user=staff, amount="120", description="门")
        services.record_damage_payment(record=record, user=staff)
        section, start, end = AssetsSection(), datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
        data = section.build(school, start, end)
        # the narrative is written from the section's figures (the same numbers as its tables)
        narrative = section.narrative(Period(start, end), section.figures(school, start, end), None, None)
    text = " ".join(narrative)
    assert "3" in text and "120" in text
    titles = [t.title for t in data.tables]
    assert len(titles) >= 3
    changes = data.tables[0]
    assert changes.footer[1] == 4  # 3 acquisitions + 1 transfer


def test_low_stock_and_loan_reminders(school, make_user):
    staff = make_user(Role.LOGISTICS_STAFF, school)
    borrower = make_user(Role.TEACHER, school)
    stock = make_stock(school, quantity=3, minimum_level=Decimal("5"))
    assert [i.obj for i in LowStockProvider().due_items(datetime.datetime.now(datetime.UTC))] == [stock.consumable]
    with time_machine.travel(datetime.datetime(2026, 5, 1, 2, 0, tzinfo=datetime.UTC)):
        loan = services.lend_asset(
            asset=make_asset(school), user=staff, borrower=borrower, expected_return=datetime.date(2026, 5, 3)
        )
    with time_machine.travel(datetime.datetime(2026, 5, 2, 2, 0, tzinfo=datetime.UTC)):
        items = list(OverdueLoanProvider().due_items(datetime.datetime.now(datetime.UTC)))
        assert [i.obj for i in items] == [loan] and items[0].recipients == [borrower]
    with time_machine.travel(datetime.datetime(2026, 5, 5, 2, 0, tzinfo=datetime.UTC)):
        reminder_scan()
        reminder_scan()  # idempotent
    assert Notification.objects.filter(recipient=borrower).count() == 1
    assert Notification.objects.filter(recipient=staff, level="danger").count() == 1  # escalated once


def test_stocktake_due(school, make_user):
    head = make_user(Role.LOGISTICS_HEAD, school)
    with time_machine.travel(datetime.datetime(2025, 1, 1, 2, 0, tzinfo=datetime.UTC)):
        make_asset(school)
    with time_machine.travel(datetime.datetime(2025, 12, 15, 2, 0, tzinfo=datetime.UTC)):
        items = list(StockTakeDueProvider().due_items(datetime.datetime.now(datetime.UTC)))
        assert len(items) == 1 and items[0].recipients == [head]
        assert items[0].due_at == datetime.date(2026, 1, 1)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 2, 0, tzinfo=datetime.UTC)):
        assert list(StockTakeDueProvider().due_items(datetime.datetime.now(datetime.UTC))) == []


def test_labels_pdf(school, make_user, login):
    assets = [make_asset(school, name=f"课桌{i}") for i in range(5)]
    client = login(make_user(Role.LOGISTICS_STAFF, school))
    response = client.get("/assets/labels/", {"layout": "3x8"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"
    one = client.get("/assets/labels/", {"ids": str(assets[0].pk), "layout": "2x5"})
    assert one.content[:4] == b"%PDF"


def test_demo_data_is_idempotent(school, make_user):
    import random

    from assets.demo import seed
    from logistics.tenancy.models import Room

    for kind in ("classroom", "office", "lab", "canteen", "store"):
        from .factories import make_room

        make_room(school, kind=kind)
    users = {r: make_user(r, school) for r in ("logistics_staff", "logistics_head", "teacher", "principal")}
    seed(school, users, "small", random.Random(1))
    count = school and __import__("assets.models", fromlist=["Asset"]).Asset.objects.filter(school=school).count()
    assert count > 5
    seed(school, users, "small", random.Random(1))
    assert __import__("assets.models", fromlist=["Asset"]).Asset.objects.filter(school=school).count() == count
    assert Room.objects.filter(school=school).exists()


def test_asset_page_links_repairs_without_importing_them(school, make_user, login):
    """ "Report a fault" opens a repair ticket for the asset and room; the repair history panel appears
    (through ``assets.hooks``; assets never imports repairs)."""
    from assets import hooks

    asset = make_asset(school)
    url = hooks.report_fault_url(asset)
    if url is None:
        pytest.skip("repairs is not installed")
    assert f"?asset={asset.pk}&room={asset.room_id}" in url
    body = login(make_user(Role.LOGISTICS_STAFF, school)).get(asset.get_absolute_url()).content.decode()
    assert 'data-testid="report-fault"' in body and 'data-testid="repair-history"' in body
    import assets

    source = "\n".join(
        p.read_text(encoding="utf-8") for p in __import__("pathlib").Path(assets.__file__).parent.rglob("*.py")
    )
    assert "from repairs" not in source and "import repairs" not in source
