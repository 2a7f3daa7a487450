"""Unit prices bounded by rules (issue 14: a typed 99,999,999,999 reached the district's ledger total): above
``assets.unit_price_confirm_above`` a price needs confirming, above ``assets.unit_price_maximum`` it is refused —
in the service, on the acquisition and edit pages and in the API; each school may set its own figures."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assets import services
from assets.models import Asset
from logistics.accounts.roles import Role
from logistics.tenancy import rules

from .factories import CategoryFactory, make_asset, make_room

pytestmark = pytest.mark.django_db

TYPO = "99999999999.00"  # the figure
HIGH = "1500000.00"  # above the 1,000,000 default "confirm" figure, below the 200,000,000 maximum


def card(school, **kwargs):
    return {
        "name": "多媒体教室设备",
        "category": CategoryFactory(school=school),
        "purchase_date": "2025-09-01",
        "room": make_room(school),
        **kwargs,
    }


class TestService:
    def test_bounds(self, school, make_user):
        user = make_user(Role.LOGISTICS_STAFF, school)
        with pytest.raises(ValidationError) as refused:
            services.acquire_assets(school=school, user=user, unit_price=Decimal(TYPO), **card(school))
        assert refused.value.error_dict["unit_price"][0].code == "price_maximum"
        with pytest.raises(ValidationError) as unconfirmed:
            services.acquire_assets(school=school, user=user, unit_price=Decimal(HIGH), **card(school))
        assert unconfirmed.value.error_dict["unit_price"][0].code == "price_confirm"
        # confirmation does not lift the maximum
        with pytest.raises(ValidationError):
            services.acquire_assets(
                school=school, user=user, unit_price=Decimal(TYPO), price_confirmed=True, **card(school)
            )
        assert Asset.objects.count() == 0
        created = services.acquire_assets(
            school=school, user=user, unit_price=Decimal(HIGH), price_confirmed=True, **card(school)
        )
        assert created[0].unit_price == Decimal(HIGH)

    def test_a_school_sets_its_own_figures(self, school, make_user):
        user = make_user(Role.LOGISTICS_STAFF, school)
        rules.set_value(school, "assets.unit_price_confirm_above", "5000")
        school.save()
        with pytest.raises(ValidationError):
            services.acquire_assets(school=school, user=user, unit_price=Decimal("6000"), **card(school))
        assert rules.get_rule("assets.unit_price_maximum").default == 200_000_000


class TestPages:
    def post_data(self, school, price, **extra):
        data = card(school, unit_price=price, quantity=1, funding_source="budget")
        data["category"], data["room"] = data["category"].pk, data["room"].pk
        return {**data, **extra}

    def test_acquire_page(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post("/assets/assets/add/", self.post_data(school, TYPO))
        page = response.content.decode()
        assert response.status_code == 400 and "超过可接受的最高单价" in page
        assert 'value="99999999999.00"' in page  # the input is kept
        response = client.post("/assets/assets/add/", self.post_data(school, HIGH))
        assert response.status_code == 400 and "元异常高" in response.content.decode()
        assert 'name="price_confirmed"' in response.content.decode()
        response = client.post("/assets/assets/add/", self.post_data(school, HIGH, price_confirmed="on"))
        assert response.status_code == 302
        assert Asset.objects.get().unit_price == Decimal(HIGH)

    def test_edit_page_checks_only_a_changed_price(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        asset = make_asset(school, unit_price=Decimal(HIGH), funding_source="budget")
        url = f"/assets/assets/{asset.pk}/edit/"
        form = client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None and k != "price_confirmed"}
        data.update({"name": "改名后的设备", "category": asset.category_id, "unit_price": HIGH})
        data["purchase_date"] = asset.purchase_date.isoformat()
        data.pop("warranty_end", None)
        data.pop("bulk_item", None)
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        data["unit_price"] = TYPO
        response = client.post(url, data)
        assert response.status_code == 400 and "超过可接受的最高单价" in response.content.decode()
        asset.refresh_from_db()
        assert asset.unit_price == Decimal(HIGH) and asset.name == "改名后的设备"


class TestApi:
    url = "/api/v1/assets/assets/"

    def body(self, school, price, **extra):
        data = card(school, unit_price=price)
        data["category"], data["room"] = data["category"].pk, data["room"].pk
        return {**data, **extra}

    def test_create_and_update(self, api, school, make_user):
        client = api(make_user(Role.LOGISTICS_HEAD, school))
        response = client.post(self.url, self.body(school, TYPO), format="json")
        assert response.status_code == 400 and "unit_price" in response.json()["errors"]
        response = client.post(self.url, self.body(school, HIGH), format="json")
        assert response.status_code == 400 and "元异常高" in str(response.json())
        response = client.post(self.url, self.body(school, HIGH, price_confirmed=True), format="json")
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        assert "price_confirmed" not in response.json()
        assert client.patch(f"{self.url}{pk}/", {"unit_price": TYPO}, format="json").status_code == 400
        assert client.patch(f"{self.url}{pk}/", {"notes": "核对过"}, format="json").status_code == 200
        assert Asset.objects.get(pk=pk).unit_price == Decimal(HIGH)
