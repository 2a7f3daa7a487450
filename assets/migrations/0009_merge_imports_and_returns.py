"""Joins the two lines of assets migrations merged together: the import engine and the 2022 category codes
(0007_import_engine → 0008_category_codes_2022) with the stock-take and stock-return fields
(0007_stocktakeline_listed → 0008_stockmovement_return). Nothing to do but order them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0008_category_codes_2022"),
        ("assets", "0008_stockmovement_return"),
    ]

    operations = []
