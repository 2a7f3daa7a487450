"""The public board is rendered once per change: later visitors get the stored page (a few queries),
and a new publication, an approved settlement, the language or logging in gives a new one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from .conftest import publish

pytestmark = pytest.mark.django_db


class TestFeeDisclosurePublicBoardCache:
    def test_rendered_once_then_fresh_after_a_publication(
        self, client, school, people, board, items, django_assert_max_num_queries
    ):
        url = reverse("finance_public:board", args=[school.slug])
        first = client.get(url)
        assert first.status_code == 200 and "午餐费" in first.content.decode()
        with django_assert_max_num_queries(4):  # the school, the two stamps (and the session)
            again = client.get(url)
        assert again.content == first.content
        items.meals.amount = Decimal("13.50")
        items.meals.save()
        assert "13.50" not in client.get(url).content.decode()  # an item edit is not on the board…
        publish(school, people, "午餐费调整")
        assert "13.50" in client.get(url).content.decode()  # …until the next version is published

    def test_logged_in_visitor_gets_their_own_page(self, client, school, people, board, login):
        url = reverse("finance_public:board", args=[school.slug])
        anonymous = client.get(url).content.decode()
        assert 'data-testid="parent-login"' in anonymous
        assert 'data-testid="parent-login"' not in login(people.parent).get(url).content.decode()
