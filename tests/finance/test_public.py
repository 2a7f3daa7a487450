"""The public board without login: the version in force with every required field, the history with
dates and the readable diff, the wall poster as PDF with a QR code; no personal data; one school's page
shows only its own board."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FeeDisclosure

from .conftest import publish

pytestmark = pytest.mark.django_db


class TestFeeDisclosurePublicPage:
    def test_board_without_login(self, client, school, board, items, other_school):
        response = client.get(reverse("finance_public:board", args=[school.slug]))
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("住宿费", "600.00", "浙发改价格〔2020〕100号", "低保家庭学生免收", "12345", "2026-2027学年"):
            assert text in html
        assert "public" in response["Cache-Control"]
        other = client.get(reverse("finance_public:board", args=[other_school.slug])).content.decode()
        assert "住宿费" not in other and 'data-testid="no-board"' in other

    def test_history_and_old_version(self, client, school, people, board, items):
        items.meals.amount = Decimal("13.00")
        items.meals.save()
        second = publish(school, people, "午餐费调整")
        html = client.get(reverse("finance_public:board", args=[school.slug])).content.decode()
        assert "午餐费调整" in html and "<del>12.50</del>" in html and "<ins>13.00</ins>" in html
        old = client.get(reverse("finance_public:version", args=[school.slug, board.version]))
        assert old.status_code == 200 and "12.50" in old.content.decode()
        assert second.version == 2

    def test_drafts_are_not_public(self, client, school, people, items):
        from finance import services

        draft = services.new_disclosure(school, people.officer)
        response = client.get(reverse("finance_public:version", args=[school.slug, draft.version]))
        assert response.status_code == 404
        assert FeeDisclosure.objects.count() == 1

    def test_no_personal_data(self, client, school, board, klass):
        html = client.get(reverse("finance_public:board", args=[school.slug])).content.decode()
        assert not any(s.name in html for s in klass.students)

    def test_poster_pdf_a4_and_a3(self, client, school, board):
        for size in ("a4", "a3"):
            response = client.get(reverse("finance_public:poster", args=[school.slug]) + f"?size={size}")
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
            assert f"-{size.upper()}.pdf" in response["Content-Disposition"]

    def test_poster_needs_a_published_board(self, client, school):
        assert client.get(reverse("finance_public:poster", args=[school.slug])).status_code == 404
