from django.db import migrations, models


def mark_listed(apps, schema_editor):
    """Existing lines: an asset line is on the list when the stock-take covers its ledger room (or the whole
    school). A schema backfill of a new, derived flag (no user change to record), hence a plain update."""
    StockTake = apps.get_model("assets", "StockTake")
    StockTakeLine = apps.get_model("assets", "StockTakeLine")
    for stocktake in StockTake.objects.all().iterator():
        lines = StockTakeLine.objects.filter(stocktake=stocktake, asset__isnull=False)
        if not stocktake.whole_school:
            lines = lines.filter(expected_room__in=stocktake.rooms.all())
        lines.update(listed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0006_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="stocktakeline",
            name="listed",
            field=models.BooleanField(default=False, editable=False, verbose_name="on the stock-take's list"),
        ),
        migrations.RunPython(mark_listed, migrations.RunPython.noop),
    ]
