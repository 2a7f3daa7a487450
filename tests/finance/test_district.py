"""The district's finance figures: per school for a term, missing schools shown as missing (never zero),
totals of those that reported, XLSX export, queries flat in the number of schools."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance import figures, money
from finance.models import Charge
from logistics.accounts.roles import Role

from ..factories import SchoolFactory
from .conftest import make_item

pytestmark = pytest.mark.django_db
TERM = "2026-2027学年"


@pytest.fixture
def district_officer(school, make_user):
    return make_user(Role.DISTRICT_OFFICER, district=school.district, username="district")


@pytest.fixture
def charged(school, people, klass, items, board):
    money.generate_charges(items.accommodation, people.officer)  # nobody boards: nothing
    from finance import services
    from finance.models import Consent
    from logistics.workflow import guard

    services.open_consents(items.insurance, people.officer)
    for consent in Consent.objects.filter(fee_item=items.insurance)[:2]:
        guard.run(consent, "give", people.parent if consent.student_id == klass.students[0].pk else people.officer,
                  **({} if consent.student_id == klass.students[0].pk else {"signed_by": "家长", "paper_form": _scan()}))  # fmt: skip
    money.generate_charges(items.insurance, people.officer)
    charge = Charge.objects.filter(fee_item=items.insurance).first()
    money.record_payment(charge, people.officer, "100", "cash", "D-1", datetime.date(2026, 9, 10))
    money.request_refund(charge, people.officer, "10", "未生效")
    return charge


def _scan():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


class TestFinanceFigures:
    def test_missing_is_not_zero_and_totals(self, school, charged, district_officer, login):
        empty = SchoolFactory(district=school.district, name="第三中学", slug="three", code="THREE")
        rows = {r.school.pk: r for r in figures.district_rows([school, empty], TERM)}
        mine = rows[school.pk]
        assert not mine.missing and mine.published_on is not None and mine.board_current
        assert mine.items == 3 and mine.due == Decimal("200.00") and mine.collected == Decimal("100.00")
        assert (mine.refunds_pending, mine.refunds_pending_amount) == (1, Decimal("10.00"))
        assert (mine.settled, mine.to_settle) == (0, 1)
        assert rows[empty.pk].missing
        page = login(district_officer).get(reverse("finance:district_figures") + f"?term={TERM}")
        assert page.status_code == 200
        body = page.content.decode()
        assert 'data-missing="yes"' in body and 'data-missing="no"' in body
        total = page.context["total"]
        assert (total["reported"], total["missing"], total["due"]) == (1, 1, Decimal("200.00"))

    def test_board_out_of_date_after_an_item_changes(self, school, charged, items):
        items.meals.amount = Decimal("13.00")
        items.meals.save()
        (row,) = figures.district_rows([school], TERM)
        assert not row.board_current and row.stale_items == 1

    def test_queries_flat_in_the_number_of_schools(self, school, charged, django_assert_max_num_queries):
        few = [school]
        many = [school] + [SchoolFactory(district=school.district) for _ in range(6)]
        for schools in (few, many):
            with django_assert_max_num_queries(9):
                figures.district_rows(schools, TERM)

    def test_xlsx_export(self, school, charged, district_officer, login):
        SchoolFactory(district=school.district, name="第三中学", slug="three", code="THREE")
        response = login(district_officer).get(reverse("finance:district_figures") + f"?term={TERM}&export=xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0] == ["学期", TERM] or values[0][1] == TERM
        by_school = {row[0]: row for row in values[2:]}
        assert by_school["第一中学"][4] == 200 and by_school["第三中学"][2:] == [None] * (len(values[1]) - 2)

    def test_who_sees_which_schools(self, school, other_school, charged, people, login, make_user):
        assert login(people.teacher).get(reverse("finance:district_figures")).status_code == 403
        assert login(people.parent).get(reverse("finance:district_figures")).status_code == 403
        make_item(other_school, name="校服")
        page = login(people.principal).get(reverse("finance:district_figures") + f"?term={TERM}")
        assert [r.school for r in page.context["rows"]] == [school]  # a principal: their own school only
