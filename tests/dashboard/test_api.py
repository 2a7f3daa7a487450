"""The dashboard's API: what waits for me, and the district comparison — the pages' data, in the schema."""

import datetime

import pytest
from django.utils import timezone

from assets import services as asset_services
from logistics.accounts.roles import Role
from logistics.dashboard.metrics import add_months, first_of_month

from ..assets.factories import make_asset
from ..factories import SchoolFactory
from ..repairs.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_needs_lists_what_waits_for_the_user(school, make_user, api):
    staff = make_user(Role.LOGISTICS_STAFF, school)
    head = make_user(Role.LOGISTICS_HEAD, school)
    principal = make_user(Role.PRINCIPAL, school)
    request = asset_services.request_disposal(assets=[make_asset(school)], user=staff, reason="报废")
    asset_services.approve_disposal_head(request=request, user=head)
    body = api(principal).get("/api/v1/dashboard/needs/").json()
    assert body["school"] == school.pk
    queue = next(q for q in body["waiting"] if q["code"] == "assets.disposal")
    assert queue["count"] == 1 and queue["items"][0]["url"] == request.get_absolute_url()
    assert api(head).get("/api/v1/dashboard/needs/").json()["waiting"] == []
    assert api().get("/api/v1/dashboard/needs/").status_code in (401, 403)


def test_district_comparison_as_json(make_user, api):
    first = SchoolFactory(name="甲校", slug="api-one", code="AA")
    second = SchoolFactory(name="乙校", slug="api-two", code="AB", district=first.district)
    officer = make_user(Role.DISTRICT_OFFICER, district=first.district)
    month = add_months(first_of_month(timezone.localdate()), -1)
    moment = timezone.make_aware(datetime.datetime.combine(month, datetime.time(8)))
    TicketFactory(
        school=first,
        status="done",
        submitted_at=moment,
        target_at=moment + datetime.timedelta(hours=4),
        done_at=moment + datetime.timedelta(hours=2),
    )
    body = api(officer).get("/api/v1/dashboard/district/", {"kind": "month", "month": month.strftime("%Y-%m")}).json()
    index = [c["code"] for c in body["columns"]].index("repairs.on_time")
    cells = {row["name"]: row["cells"][index] for row in body["rows"]}
    assert cells["甲校"]["value"] == 1.0
    assert cells["乙校"]["value"] is None  # nothing recorded: null, not 0
    assert body["start"] == month.isoformat()
    bad = api(officer).get(
        "/api/v1/dashboard/district/", {"kind": "custom", "start": "2026-11-20", "end": "2026-11-01"}
    )
    assert bad.status_code == 400 and "end" in bad.json()
    assert api(make_user(Role.TEACHER, second)).get("/api/v1/dashboard/district/").status_code == 403


def test_in_the_schema(make_user, api, school):
    schema = api(make_user(Role.PRINCIPAL, school)).get("/api/schema/?format=json").json()
    assert "/api/v1/dashboard/needs/" in schema["paths"] and "/api/v1/dashboard/district/" in schema["paths"]
