"""Reference numbers (and asset and category codes) are unique per school: the database refuses a
duplicate, model validation refuses it in words (never the constraint's name), and ``houqin.E004``
fails a model with a reference number and no such constraint."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from assets.models import Category, DamageRecord, DisposalRequest, IssueRequest, StockTake
from canteen.models import Delivery, FoodSample, Supplier
from finance.models import Charge, DisclosureEntry, Expense, FeeDisclosure
from logistics import checks as platform_checks
from logistics.accounts.roles import Role
from logistics.corrective.models import CorrectiveAction
from repairs.models import Ticket
from safety.models import Hazard
from tests.assets.factories import AssetFactory, CategoryFactory, ConsumableFactory
from tests.canteen.conftest import make_meal
from tests.factories import StudentFactory, UserFactory
from tests.finance.conftest import make_item

pytestmark = pytest.mark.django_db


def ticket_fields(school, room, user):
    return {"room": room, "trade": "electrical", "description": "灯不亮", "requester": user}


def issue_fields(school, room, user):
    return {
        "consumable": ConsumableFactory(school=school),
        "quantity": Decimal("1"),
        "purpose": "办公",
        "requester": user,
    }


def disposal_fields(school, room, user):
    return {"reason": "损坏无法修复", "requested_by": user}


def damage_fields(school, room, user):
    return {"description": "课桌桌面损坏", "amount": Decimal("120.00")}


def corrective_fields(school, room, user):
    return {"origin": "corrective.report", "title": "围墙破损", "spot": "东侧围墙", "found_by": user}


def hazard_fields(school, room, user):
    return {"origin": "safety.hazard", "title": "配电房门锁损坏", "spot": "配电房", "found_by": user}


def stocktake_fields(school, room, user):
    return {"name": "年度盘点", "started_on": datetime.date(2026, 6, 1)}


_made = {"n": 0}


def _next():
    _made["n"] += 1
    return _made["n"]


def sample_fields(school, room, user):
    meal = make_meal(school, day=datetime.date(2026, 3, 1) + datetime.timedelta(days=_next()), dishes=("米饭",))
    keep_until = timezone.now() + datetime.timedelta(hours=48)  # the service computes it; set here
    return {"meal": meal, "dish": meal.dishes.get(), "weight_grams": 150, "sampled_by": user, "keep_until": keep_until}


def delivery_fields(school, room, user):
    supplier = Supplier.objects.create(school=school, name=f"供应商{_next()}", address="城关镇", supplies="大米")
    return {"supplier": supplier, "delivered_on": datetime.date(2026, 6, 1)}


def charge_fields(school, room, user):
    item = make_item(school, name=f"学生意外伤害保险{_next()}")
    disclosure = FeeDisclosure.objects.filter(school=school).first() or FeeDisclosure.objects.create(school=school)
    entry = DisclosureEntry.objects.create(
        school=school,
        disclosure=disclosure,
        fee_item=item,
        category=item.category,
        name=item.name,
        amount=item.amount,
        unit=item.unit,
        scope="全体学生",
        period_label=item.period_label,
        period_start=item.period_start,
        period_end=item.period_end,
        voluntary=item.voluntary,
    )
    return {"fee_item": item, "entry": entry, "student": StudentFactory(school=school), "amount": item.amount}


def expense_fields(school, room, user):
    receiver = UserFactory(username=f"receiver-{_next()}")
    return {
        "purpose": "办公用品", "amount": 100, "category": "office", "supplier": "文具店",
        "spent_on": datetime.date(2026, 6, 1), "buyer": user, "receiver": receiver, "filed_by": user,
    }  # fmt: skip


REFERENCED = [
    (Ticket, ticket_fields),
    (IssueRequest, issue_fields),
    (DisposalRequest, disposal_fields),
    (DamageRecord, damage_fields),
    (StockTake, stocktake_fields),
    (CorrectiveAction, corrective_fields),
    (Hazard, hazard_fields),
    (FoodSample, sample_fields),
    (Delivery, delivery_fields),
    (Charge, charge_fields),
    (Expense, expense_fields),
]


@pytest.fixture
def head(make_user, school):
    return make_user(Role.LOGISTICS_HEAD, school)


@pytest.mark.parametrize(("model", "fields"), REFERENCED, ids=[m.__name__ for m, _f in REFERENCED])
def test_duplicate_reference_in_a_school_is_refused(model, fields, school, room, other_school, other_room, head):
    first = model.objects.create(school=school, **fields(school, room, head))
    assert first.reference  # given on save
    duplicate = model(school=school, reference=first.reference, **fields(school, room, head))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        duplicate.validate_constraints()
    message = " ".join(refused.value.messages)
    assert "unique_" not in message and "reference" not in message.lower()
    assert "编号" in message, message  # in Chinese, in words
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # the same reference in another school is fine (each school counts its own)
    model.objects.create(school=other_school, reference=first.reference, **fields(other_school, other_room, head))


def test_duplicate_asset_code_is_refused_in_words(school, other_school):
    asset = AssetFactory(school=school, code="ONE-0001")
    duplicate = AssetFactory.build(school=school, code="ONE-0001", category=asset.category, room=asset.room)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        duplicate.validate_constraints()
    assert refused.value.messages == ["本校已有相同编号的资产。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    AssetFactory(school=other_school, code="ONE-0001")


def test_duplicate_category_code_is_refused_in_words(school):
    CategoryFactory(school=school, code="A0201")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        Category(school=school, code="A0201", name="台式计算机").validate_constraints()
    assert refused.value.messages == ["本校已有相同代码的分类。"]


def test_every_model_with_a_reference_is_covered_here():
    from django.apps import apps

    from logistics.tenancy.references import ReferenceMixin

    models = {m for m in apps.get_models() if issubclass(m, ReferenceMixin)}
    assert models == {m for m, _f in REFERENCED}


def test_check_fails_on_a_model_without_the_constraint(monkeypatch):
    assert platform_checks.check_references() == []
    kept = [c for c in StockTake._meta.constraints if c.name != "assets_stocktake_unique_reference"]
    monkeypatch.setattr(StockTake._meta, "constraints", kept)
    errors = platform_checks.check_references()
    assert [(e.id, e.obj) for e in errors] == [("houqin.E004", StockTake)]
