"""The starter subset of GB/T 14885-2022 categories a school uses, with minimum depreciation lives.

Lives from 政府会计准则第3号——固定资产 应用指南 (固定资产折旧年限表); "student furniture 5 years"
is a local table. Codes are GB/T 14885-2022 (资产基础分类与代码): 门类 A01 房屋和构筑物, A02 设备,
A05 家具和用具 …; the full catalogue has ~3,000 items.

The table shipped before 2026-12 carried the older procurement-catalogue codes (台式计算机 A02010104,
houses B01…). :data:`OLD_CODES` maps them to the 2022 codes: migration ``0008_category_codes_2022``
renamed the schools' categories (their assets keep them), and the ledger import reads a ledger's old
codes through it. Codes marked ``verified=False`` below were not checked against the standard's code
table (docs/assets.md § Category codes).
"""

from django.utils.translation import gettext_lazy as _

#: (code, Chinese name, life in years, verified against the GB/T 14885-2022 code table)
STARTER_CATEGORIES = [
    ("A01010100", "办公用房", 50, True),
    ("A01010200", "业务用房（教学、实验、宿舍、食堂）", 50, True),
    ("A02010104", "服务器", 6, True),
    ("A02010105", "台式计算机", 6, True),
    ("A02010108", "便携式计算机", 6, True),
    ("A02021000", "打印机", 6, True),
    ("A02061804", "空调机", 5, True),
    ("A02091001", "普通电视设备（电视机）", 5, True),
    ("A02091104", "平板显示设备", 5, True),
    ("A05010000", "家具", 15, True),
    ("A05010100", "床类（宿舍床）", 15, True),
    ("A05010203", "教学、实验用桌（学生课桌）", 5, True),
    ("A05010304", "教学、实验椅凳", 5, True),
    ("A05010501", "书柜", 15, True),
    ("A05010502", "文件柜", 15, True),
    ("A05040403", "教具", 5, True),
    # kept from the earlier table; not found in the sources checked (docs/assets.md § Category codes)
    ("A02020100", "投影仪", 5, False),
    ("A02020600", "多媒体教学设备（交互式一体机）", 5, False),
    ("A02091000", "音响设备", 5, False),
    ("A02100300", "实验室仪器（教学仪器）", 5, False),
    ("A02100400", "显微镜", 5, False),
    ("A02150100", "炊事机械（厨房设备）", 10, False),
    ("A02150200", "冷藏柜", 10, False),
    ("A02030500", "乘用车", 8, False),
    ("A03060000", "体育设备器材", 5, False),
]
DEFAULT_CATEGORIES = [(code, name, life) for code, name, life, _verified in STARTER_CATEGORIES]

#: the earlier table's codes → GB/T 14885-2022 (only where the 2022 code was verified). Note that
#: A02010104 and A02010105 and A05010100 are codes in both tables with different meanings: a ledger
#: says which table it uses (the import's "old codes" option or its old-code column).
OLD_CODES = {
    "A02010104": "A02010105",  # 台式计算机 (A02010104 is 服务器 in 2022)
    "A02010105": "A02010108",  # 便携式计算机
    "A02020800": "A02021000",  # 复印机、打印机等办公设备 → 打印机
    "A02061800": "A02061804",  # 空调机
    "A05010100": "A05010000",  # 办公家具（桌、椅、柜） → 家具 (A05010100 is 床类 in 2022)
    "A05010200": "A05010203",  # 学生课桌椅 → 教学、实验用桌
    "A05010300": "A05010100",  # 床类（宿舍床）
}
#: the earlier table's names of the renamed categories → the 2022 names (a school's own name is kept)
OLD_NAMES = {
    "复印机、打印机等办公设备": "打印机",
    "办公家具（桌、椅、柜）": "家具",
    "学生课桌椅": "教学、实验用桌（学生课桌）",
}
KIND_LABELS = {
    "furniture": _("Furniture"),
    "teaching": _("Teaching equipment"),
    "computers": _("Computers"),
    "av": _("Audio-visual"),
    "lab": _("Laboratory instruments"),
    "sports": _("Sports"),
    "kitchen": _("Kitchen"),
    "vehicles": _("Vehicles"),
    "buildings": _("Buildings"),
}


def ensure_default_categories(school):
    """Create the starter categories for ``school`` (idempotent); returns {code: Category}."""
    from .models import Category

    existing = {c.code: c for c in Category.objects.filter(school=school)}
    missing = [
        Category(school=school, code=code, name=name, life_years=life)
        for code, name, life in DEFAULT_CATEGORIES
        if code not in existing
    ]
    if missing:
        Category.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {c.code: c for c in Category.objects.filter(school=school)}
    return existing
