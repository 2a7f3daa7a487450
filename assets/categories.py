"""The starter subset of GB/T 14885-2022 categories a school uses, with minimum depreciation lives.

Lives from 政府会计准则第3号——固定资产 应用指南 (固定资产折旧年限表); "student furniture 5 years"
is a local table. Codes follow GB/T 14885-2022 (门类 A 设备 / B 房屋构筑物 …); store the code, the
full catalogue has ~3,000 items.
"""

from django.utils.translation import gettext_lazy as _

#: (code, Chinese name, life in years, fixed asset?)
DEFAULT_CATEGORIES = [
    ("A02010104", "台式计算机", 6),
    ("A02010105", "便携式计算机", 6),
    ("A02020100", "投影仪", 5),
    ("A02020600", "多媒体教学设备（交互式一体机）", 5),
    ("A02091000", "音响设备", 5),
    ("A02100300", "实验室仪器（教学仪器）", 5),
    ("A02100400", "显微镜", 5),
    ("A02061800", "空调机", 5),
    ("A02150100", "炊事机械（厨房设备）", 10),
    ("A02150200", "冷藏柜", 10),
    ("A03060000", "体育设备器材", 5),
    ("A02030500", "乘用车", 8),
    ("A05010100", "办公家具（桌、椅、柜）", 15),
    ("A05010200", "学生课桌椅", 5),
    ("A05010300", "床类（宿舍床）", 15),
    ("A02020800", "复印机、打印机等办公设备", 6),
    ("B01010000", "钢结构、钢筋混凝土结构房屋", 50),
    ("B01020000", "砖混结构房屋", 30),
    ("B01030000", "简易房", 8),
    ("A03000000", "其他通用设备", 10),
]

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
