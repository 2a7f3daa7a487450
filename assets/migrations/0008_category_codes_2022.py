"""The starter categories' codes corrected to GB/T 14885-2022 (assets/categories.py OLD_CODES): each
school's category is renamed in place, so its assets keep it. A school that already has a category with
the new code keeps both as they are (nothing merged). Not reversible in meaning, reversible in data."""

from django.db import migrations

OLD_CODES = {
    "A02010104": "A02010105",
    "A02010105": "A02010108",
    "A02020800": "A02021000",
    "A02061800": "A02061804",
    "A05010100": "A05010000",
    "A05010200": "A05010203",
    "A05010300": "A05010100",
}
OLD_NAMES = {
    "复印机、打印机等办公设备": "打印机",
    "办公家具（桌、椅、柜）": "家具",
    "学生课桌椅": "教学、实验用桌（学生课桌）",
}


def rename(apps, schema_editor, codes=OLD_CODES, names=OLD_NAMES):
    Category = apps.get_model("assets", "Category")
    school_ids = Category.objects.filter(code__in=list(codes)).values_list("school_id", flat=True).distinct()
    for school_id in school_ids:
        mine = {c.code: c for c in Category.objects.filter(school_id=school_id)}
        moving = {old: new for old, new in codes.items() if old in mine}
        # a target taken by a category that is not itself moving away: leave that one alone
        while True:
            kept = {old: new for old, new in moving.items() if new not in mine or new in moving}
            if kept == moving:
                break
            moving = kept
        for old in moving:  # two steps, so that A02010104 → A02010105 → A02010108 never collide
            category = mine[old]
            category.code = f"~{old}"
            category.save(update_fields=["code"])
        for old, new in moving.items():
            category = mine[old]
            category.code = new
            category.name = names.get(category.name, category.name)
            category.save(update_fields=["code", "name"])


def unrename(apps, schema_editor):
    back = {new: old for old, new in OLD_CODES.items()}
    rename(apps, schema_editor, codes=back, names={v: k for k, v in OLD_NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("assets", "0007_import_engine")]

    operations = [migrations.RunPython(rename, unrename)]
