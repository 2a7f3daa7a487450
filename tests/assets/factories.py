"""Factories for the assets app."""

import datetime
from decimal import Decimal

import factory

from assets.models import Asset, Category, Consumable, ConsumableStock, DamageRecord
from tests.factories import RoomFactory, SchoolFactory, UserFactory  # noqa: F401 — re-exported


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("school", "code")

    school = factory.SubFactory(SchoolFactory)
    code = "A02010104"
    name = "台式计算机"
    life_years = 6


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    school = factory.SubFactory(SchoolFactory)
    category = factory.SubFactory(CategoryFactory, school=factory.SelfAttribute("..school"))
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda a: f"{a.school.code}-{a.sequence:06d}")
    name = factory.Sequence(lambda n: f"计算机{n}")
    unit_price = Decimal("4800.00")
    purchase_date = datetime.date(2024, 3, 15)
    room = factory.SubFactory(
        RoomFactory,
        school=factory.SelfAttribute("..school"),
        building__school=factory.SelfAttribute("..school"),
        building__campus__school=factory.SelfAttribute("..school"),
    )


class ConsumableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consumable

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"水龙头{n}")
    unit = "个"
    unit_price = Decimal("35.00")
    minimum_level = Decimal("5")


class ConsumableStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsumableStock

    consumable = factory.SubFactory(ConsumableFactory)
    school = factory.SelfAttribute("consumable.school")
    store = factory.SubFactory(
        RoomFactory,
        school=factory.SelfAttribute("..school"),
        building__school=factory.SelfAttribute("..school"),
        building__campus__school=factory.SelfAttribute("..school"),
        kind="store",
    )
    quantity = Decimal("0")


class DamageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DamageRecord

    school = factory.SubFactory(SchoolFactory)
    description = "课桌桌面损坏"
    amount = Decimal("120.00")


def make_room(school, **kwargs):
    return RoomFactory(school=school, building__school=school, building__campus__school=school, **kwargs)


def make_asset(school, **kwargs):
    kwargs.setdefault("room", make_room(school))
    return AssetFactory(school=school, **kwargs)


def make_stock(school, quantity=0, **kwargs):
    from assets.services import receive_stock

    stock = ConsumableStockFactory(consumable=ConsumableFactory(school=school, **kwargs))
    if quantity:
        receive_stock(consumable=stock.consumable, store=stock.store, quantity=quantity, user=None)
        stock.refresh_from_db()
        stock.consumable.refresh_from_db()
    return stock


def staff_of(school):
    """A member of the logistics staff of ``school``: the acting user of a step taken to set up a test
    (steps refuse to act for nobody)."""
    from logistics.accounts.roles import Role
    from logistics.tenancy.models import Membership

    user = UserFactory()
    Membership.objects.create(user=user, school=school, role=Role.LOGISTICS_STAFF)
    return user
