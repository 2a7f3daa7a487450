"""The canteen section of the monthly report, in the seeds' voice ("本月共留样 X 餐 Y 份，均达到125克、48小时要求…")."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import Section, SectionData, Table

from . import figures
from .choices import Meal
from .services import local_minute


class CanteenSection(Section):
    code = "canteen"
    title = gettext_lazy("Canteen")
    order = 30

    def build(self, school, start, end):
        f = figures.period(school, start, end)
        text = _(
            "This month %(meals)s meals were served with %(dishes)s dishes; %(samples)s food samples were kept "
            "from %(sampled)s meals, every one at least %(grams)s g and kept %(hours)s hours before it was "
            "discarded (%(discarded)s discarded on record)."
        ) % {
            "meals": f["meals"],
            "dishes": f["dishes"],
            "samples": f["samples"],
            "sampled": f["meals_sampled"],
            "grams": f["min_grams"],
            "hours": f["hours"],
            "discarded": f["discarded"],
        }
        if f["below_minimum"]:
            text += " " + _("%(n)s samples weigh less than today's minimum (the rule was raised after them).") % {
                "n": f["below_minimum"]
            }
        if f["missing"]:
            text += " " + _("%(n)s dishes were served without a sample (listed below).") % {"n": len(f["missing"])}
        if f["late"]:
            text += " " + _("%(n)s samples were entered late.") % {"n": len(f["late"])}
        lines = f["lines"]
        text2 = _(
            "Purchase inspection: %(deliveries)s deliveries with %(total)s products, %(accepted)s accepted and "
            "%(rejected)s rejected. Morning checks: %(checks)s, %(off)s staff sent off duty."
        ) % {**lines, "checks": f["checks"]["total"], "off": f["checks"]["off"]}
        tables = [
            Table(
                _("Food samples by meal"),
                [_("Meal"), _("Samples")],
                [[label, f["by_meal"].get(value, 0)] for value, label in Meal.choices],
                footer=[_("Total"), f["samples"]],
            ),
            Table(
                _("Dishes served without a sample"),
                [_("Date"), _("Meal"), _("Dish")],
                [[d.meal.date.strftime("%Y-%m-%d"), d.meal.get_meal_display(), d.name] for d in f["missing"]],
            ),
            Table(
                _("Late entries"),
                [_("Sample"), _("Sampled at"), _("Entered at"), _("By")],
                [
                    [
                        s.reference,
                        local_minute(s.sampled_at),
                        local_minute(s.created),
                        str(s.sampled_by),
                    ]
                    for s in f["late"]
                ],
            ),
        ]
        return SectionData(title=str(self.title), paragraphs=[text, text2], tables=tables)
