"""Hygiene self-inspections (卫生自查): the score and grade, recording an inspection, a failed item's
corrective action (the platform's closed loop, ``logistics.corrective``), the standard checklists a new
school starts with.

Score = points of the passed items ÷ points of the applicable items (not-applicable items count for
nothing), as a percentage to one decimal; grade A from ``canteen.inspection_grade_a`` (90), B from
``canteen.inspection_grade_b`` (75), else C — Houqin defaults (量化分级 A/B/C), not set by a regulation.
A failed critical item (关键项) caps the grade at C: a kitchen with rodent droppings on the worktop is not
"good" however many other boxes are ticked.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import STAFF_ROLES
from logistics.attachments.models import Attachment
from logistics.audit.recorder import record_event
from logistics.corrective.choices import ACTIVE_STATUSES
from logistics.corrective.models import CorrectiveAction
from logistics.corrective.services import open_action
from logistics.tenancy import rules

from .inspection_choices import DEFAULT_FREQUENCY, Grade, ItemResult, TemplateKind
from .models import ChecklistItem, ChecklistTemplate, HygieneInspection, InspectionResult
from .settings_rules import INSPECTION_FIX_DAYS, INSPECTION_GRADE_A, INSPECTION_GRADE_B

ORIGIN = "canteen.inspection"


def score_of(results):
    """(passed points, applicable points, score % or None) of ``[(points, result)]``."""
    passed = sum(points for points, result in results if result == ItemResult.PASS)
    applicable = sum(points for points, result in results if result != ItemResult.NOT_APPLICABLE)
    if not applicable:
        return passed, applicable, None
    score = (Decimal(passed) * 100 / Decimal(applicable)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return passed, applicable, score


def grade_of(school, score, critical_failed=False):
    """The grade of a score under the school's Rules; a failed critical item caps it at C."""
    if score is None:
        return ""
    if critical_failed:
        return Grade.C
    if score >= Decimal(str(rules.value(school, INSPECTION_GRADE_A))):
        return Grade.A
    if score >= Decimal(str(rules.value(school, INSPECTION_GRADE_B))):
        return Grade.B
    return Grade.C


def record_inspection(*, template, inspector, actor, answers, day=None, note="", photos=None):
    """Record an inspection of ``template``: ``answers`` maps each active item's id to ``(result, note)``.
    Every active item must be answered; the score and grade are computed here; ``photos`` maps an item's id
    to an uploaded photo or a list of them (kept as attachments of its result). Returns the inspection."""
    school = template.school
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"date": _("An inspection cannot be dated in the future.")})
    if not template.active:
        raise ValidationError({"template": _("This checklist is no longer in use.")})
    if (
        inspector is None
        or not inspector.memberships.filter(school_id=school.pk, active=True, role__in=STAFF_ROLES).exists()
    ):
        raise ValidationError({"inspector": _("This person is not on the staff of this school.")})
    items = list(template.items.filter(active=True).order_by("position", "pk"))
    if not items:
        raise ValidationError({"template": _("This checklist has no items.")})
    missing = [item.text for item in items if item.pk not in answers]
    if missing:
        raise ValidationError(
            {"results": _("Answer every item; not answered: %(items)s") % {"items": "、".join(missing)}}
        )
    unknown = set(answers) - {item.pk for item in items}
    if unknown:
        raise ValidationError({"results": _("An answer names an item that is not on this checklist.")})
    for result, _note in answers.values():
        if result not in ItemResult.values:
            raise ValidationError({"results": _("Each item is pass, fail or not applicable.")})
    pairs = [(item.points, answers[item.pk][0]) for item in items]
    passed, applicable, score = score_of(pairs)
    if score is None:
        raise ValidationError({"results": _("At least one item must apply.")})
    critical_failed = any(item.critical and answers[item.pk][0] == ItemResult.FAIL for item in items)
    inspection = HygieneInspection(
        school=school,
        template=template,
        date=day,
        inspector=inspector,
        note=(note or "").strip()[:300],
        passed_points=passed,
        applicable_points=applicable,
        score=score,
        grade=grade_of(school, score, critical_failed),
        failed_items=sum(1 for _points, result in pairs if result == ItemResult.FAIL),
        critical_failed=critical_failed,
        created_by=actor,
    )
    try:
        inspection.validate_constraints()
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from exc
    try:
        with transaction.atomic():
            inspection.save()
            for item in items:
                result, item_note = answers[item.pk]
                row = InspectionResult.objects.create(
                    school=school,
                    inspection=inspection,
                    item=item,
                    position=item.position,
                    text=item.text,
                    points=item.points,
                    critical=item.critical,
                    result=result,
                    note=(item_note or "").strip()[:300],
                    created_by=actor,
                )
                taken = (photos or {}).get(item.pk) or []
                for photo in taken if isinstance(taken, list | tuple) else [taken]:
                    Attachment.objects.create(
                        school=school,
                        content_type=ContentType.objects.get_for_model(InspectionResult),
                        object_id=row.pk,
                        file=photo,
                        kind="photo",
                        caption=item.text[:200],
                        created_by=actor,
                    )
            record_event(
                inspection,
                "canteen.inspection.recorded",
                _("Inspected: %(score)s%%, grade %(grade)s, %(failed)s failed")
                % {"score": score, "grade": inspection.grade, "failed": inspection.failed_items},
                {"score": str(score), "grade": inspection.grade},
            )
    except IntegrityError as exc:  # a second inspection of the same day raced this one
        raise ValidationError({"date": _("This checklist was already inspected on that day.")}) from exc
    return inspection


def default_deadline(school, day=None):
    return (day or timezone.localdate()) + datetime.timedelta(days=int(rules.value(school, INSPECTION_FIX_DAYS)))


def open_item_action(*, result, actor, owner=None, deadline=None, measures=""):
    """Open the corrective action of a failed item (origin ``canteen.inspection``); assigned at once when
    an owner and a deadline are given. One active action per item."""
    if result.result != ItemResult.FAIL:
        raise ValidationError({"result": _("Only a failed item opens a corrective action.")})
    if (
        owner is not None
        and not owner.memberships.filter(school_id=result.school_id, active=True, role__in=STAFF_ROLES).exists()
    ):
        raise ValidationError({"owner": _("This person is not on the staff of this school.")})
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    if any(a.status in ACTIVE_STATUSES for a in actions_of([result]).get(result.pk, [])):
        raise ValidationError({"result": _("This item already has a corrective action under way.")})
    inspection = result.inspection
    title = _("%(checklist)s: %(item)s") % {"checklist": inspection.template.name, "item": result.text}
    description = _("Failed in the hygiene self-inspection of %(date)s by %(who)s.") % {
        "date": inspection.date.strftime("%Y-%m-%d"),
        "who": inspection.inspector,
    }
    if result.note:
        description += " " + result.note
    return open_action(
        school=inspection.school,
        actor=actor,
        origin=ORIGIN,
        title=title,
        description=description,
        source=result,
        place=_("Canteen"),
        owner=owner,
        deadline=deadline,
        measures=measures,
    )


def actions_of(results, user=None):
    """{result id: [corrective actions]} of ``results`` in one query (only those ``user`` may see)."""
    ids = [r.pk for r in results]
    if not ids:
        return {}
    queryset = CorrectiveAction.objects.all()
    if user is not None:
        queryset = queryset.restrict(user, "view")
    found = {}
    for action in (
        queryset.filter(
            school_id=results[0].school_id,
            source_type=ContentType.objects.get_for_model(InspectionResult),
            source_id__in=ids,
        )
        .select_related("owner")
        .order_by("-found_at", "-pk")
    ):
        found.setdefault(action.source_id, []).append(action)
    return found


# --- the standard checklists a school starts with ------------------------------------------------------

#: (kind, name, [(item, points, critical)]) from 餐饮服务食品安全操作规范 (2018) and
#: 学校食品安全与营养健康管理规定 (2019); a school edits them to its own kitchen
STANDARD_CHECKLISTS = [
    (
        TemplateKind.CLOSE_DOWN,
        "每日收市检查",
        [
            ("剩余食品按规定处理，需冷藏的及时冷藏并标注日期", 10, True),
            ("加工台面、刀具、砧板清洗干净，生熟分开放置", 10, False),
            ("餐用具清洗消毒后放入保洁柜", 10, True),
            ("地面、排水沟清洁无积水、无残渣", 10, False),
            ("垃圾桶加盖，废弃物当日清运", 10, False),
            ("当日各餐次留样完整并已放入留样冰箱", 10, True),
            ("燃气阀门、水电开关已关闭", 10, True),
            ("门窗关闭，防鼠挡板、纱窗完好", 10, False),
        ],
    ),
    (
        TemplateKind.WEEKLY,
        "每周食品安全自查",
        [
            ("从业人员健康证在有效期内，晨检记录完整", 10, True),
            ("进货查验记录完整，索证索票齐全", 10, True),
            ("库房食品离地离墙存放，无过期、变质食品", 10, True),
            ("冷藏、冷冻设备温度正常，生熟分开存放", 10, False),
            ("食品添加剂专人专柜管理，使用有记录", 10, False),
            ("餐用具消毒记录完整，消毒温度时间达标", 10, False),
            ("从业人员穿戴工作衣帽，不佩戴饰物", 5, False),
            ("专间（备餐间）紫外线消毒，温度不高于25 °C", 5, False),
            ("食品留样不少于125克、保存48小时以上，记录完整", 10, True),
            ("加工制作过程生熟分开，烧熟煮透", 10, False),
        ],
    ),
    (
        TemplateKind.FOUR_PESTS,
        "每月四防检查（防尘、防潮、防鼠、防蝇）",
        [
            ("防尘：食品及餐具加盖或存放于密闭柜内，操作间无积尘", 10, False),
            ("防潮：库房通风良好，食品垫高离地≥10 cm、离墙≥10 cm", 10, False),
            ("防鼠：排水口有网罩，门口有≥60 cm 挡鼠板，无鼠迹", 15, True),
            ("防蝇：门窗纱网完好，设有灭蝇灯且正常工作", 15, True),
            ("无蟑螂等虫害痕迹，虫害控制有记录", 10, False),
            ("杀虫剂、灭鼠药不在加工区存放", 10, True),
        ],
    ),
    (
        TemplateKind.CLEANING,
        "清洁卫生检查",
        [
            ("墙面、天花板无霉斑、无脱落", 10, False),
            ("排油烟罩、灶台清洁无油垢", 10, False),
            ("冰箱、冷库内外清洁，定期除霜", 10, False),
            ("洗手设施有洗手液、干手设施", 10, False),
            ("就餐区桌椅、地面清洁", 10, False),
            ("卫生间清洁，不与加工区直接相通", 10, False),
        ],
    ),
]


def ensure_standard_checklists(school, actor=None):
    """Create the standard checklists for a school that has none (idempotent). Returns those made."""
    if ChecklistTemplate.objects.filter(school=school).exists():
        return []
    made = []
    with transaction.atomic():
        for kind, name, items in STANDARD_CHECKLISTS:
            template = ChecklistTemplate.objects.create(
                school=school, name=name, kind=kind, frequency=DEFAULT_FREQUENCY[kind], created_by=actor
            )
            for position, (text, points, critical) in enumerate(items, start=1):
                ChecklistItem.objects.create(
                    school=school,
                    template=template,
                    position=position,
                    text=text,
                    points=points,
                    critical=critical,
                    created_by=actor,
                )
            made.append(template)
    return made


def set_items(template, rows, actor=None):
    """Replace the template's item list by ``rows`` [(text, points, critical)] in order: items kept by text
    are updated, new ones added, dropped ones taken out of use (never deleted: past inspections name them)."""
    existing = {item.text: item for item in template.items.all()}
    keep = set()
    with transaction.atomic():
        for position, (text, points, critical) in enumerate(rows, start=1):
            item = existing.get(text)
            if item is None:
                item = ChecklistItem(school=template.school, template=template, text=text, created_by=actor)
            item.position, item.points, item.critical, item.active = position, points, critical, True
            item.save()
            keep.add(item.pk)
        for item in existing.values():
            if item.pk not in keep and item.active:
                item.active = False
                item.save()
