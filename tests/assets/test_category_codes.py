"""GB/T 14885-2022 category codes (issue 14): the starter table corrected, schools' categories renamed in
place (their assets keep them), and a ledger's old codes read through the old→new table."""

import importlib

import pytest
from django.apps import apps

from assets import services
from assets.categories import DEFAULT_CATEGORIES, OLD_CODES, ensure_default_categories
from assets.models import Asset, Category
from assets.services.imports import guess_mapping

from .factories import make_asset
from .test_imports import csv_upload

pytestmark = pytest.mark.django_db
migration = importlib.import_module("assets.migrations.0008_category_codes_2022")


class TestCategoryCodes:
    def test_starter_table_has_the_2022_codes(self):
        codes = {code: name for code, name, _life in DEFAULT_CATEGORIES}
        assert codes["A02010105"] == "台式计算机" and codes["A02010108"] == "便携式计算机"
        assert codes["A02010104"] == "服务器"
        assert not any(code.startswith("B") for code in codes)  # houses are A01… in 2022
        assert "A03000000" not in codes

    def test_migration_renames_in_place_and_assets_keep_their_category(self, school):
        old = {}
        for code, name in (("A02010104", "台式计算机"), ("A02010105", "便携式计算机"), ("A05010200", "学生课桌椅")):
            old[code] = Category.objects.create(school=school, code=code, name=name, life_years=6)
        desktop = make_asset(school, category=old["A02010104"])
        migration.rename(apps, None)
        desktop.refresh_from_db()
        assert desktop.category_id == old["A02010104"].pk and desktop.category.code == "A02010105"
        assert Category.objects.get(pk=old["A02010105"].pk).code == "A02010108"
        desks = Category.objects.get(pk=old["A05010200"].pk)
        assert desks.code == "A05010203" and desks.name == "教学、实验用桌（学生课桌）"
        migration.unrename(apps, None)  # reversible in data
        assert Category.objects.get(pk=old["A02010104"].pk).code == "A02010104"
        migration.rename(apps, None)
        servers = ensure_default_categories(school)["A02010104"]  # the 2022 meaning, created afresh
        assert servers.name == "服务器" and servers.pk not in {c.pk for c in old.values()}

    def test_migration_leaves_a_taken_code_alone(self, school):
        Category.objects.create(school=school, code="A02010104", name="台式计算机", life_years=6)
        Category.objects.create(school=school, code="A02010105", name="笔记本", life_years=6)
        Category.objects.create(school=school, code="A02010108", name="自建分类", life_years=6)
        migration.rename(apps, None)
        assert set(Category.objects.filter(school=school).values_list("code", flat=True)) == {
            "A02010104",
            "A02010105",
            "A02010108",
        }


class TestOldCodesInTheImport:
    def _check(self, school, staff, text, **options):
        import_ = services.open_import(school=school, user=staff, upload=csv_upload(text))
        services.set_mapping(import_=import_, user=staff, mapping=guess_mapping(import_.headers), **options)
        services.validate_import(import_=import_, user=staff)
        import_.refresh_from_db()
        return import_

    def test_old_codes_option_and_unambiguous_old_codes(self, school, staff):
        text = "资产名称,分类代码,单价,购置日期\n台式计算机,A02010104,4800,2024-03-15\n空调,A02061800,3600,2024-03-15\n"
        import_ = self._check(school, staff, text, old_codes=True)
        assert import_.status == "validated", import_.errors
        services.run_import(import_=import_, user=staff)
        assert Asset.objects.get(name="台式计算机").category.code == "A02010105"
        assert Asset.objects.get(name="空调").category.code == "A02061804"  # no such code in 2022: mapped
        text = "资产名称,分类代码,单价,购置日期\n服务器,A02010104,24800,2024-03-15\n"
        import_ = self._check(school, staff, text)
        services.run_import(import_=import_, user=staff)
        assert Asset.objects.get(name="服务器").category.code == "A02010104"  # a 2022 code as it is

    def test_a_ledger_with_both_columns(self, school, staff):
        text = "资产名称,新分类代码,旧分类代码,单价,购置日期\n"
        text += "台式计算机,,A02010104,4800,2024-03-15\n"  # only the old code: mapped
        text += "笔记本,A02010104,A02010105,5200,2024-03-15\n"  # contradiction: an error of its row
        import_ = self._check(school, staff, text)
        errors = {(e["row"], e["column"]) for e in import_.errors}
        assert errors == {(3, "新分类代码")}
        assert "A02010108" in import_.errors[0]["message"]
        assert OLD_CODES["A02010105"] == "A02010108"
