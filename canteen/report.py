"""The canteen section of the monthly report, in the seeds' voice ("本月共留样 X 餐 Y 份，均达到125克、48小时要求…")."""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import OpenItem, Section, SectionData, Table, comparisons, full_stop, paren
from logistics.tenancy import rules

from . import figures
from .choices import Meal
from .services import local_minute


class CanteenSection(Section):
    code = "canteen"
    title = gettext_lazy("Canteen")
    order = 30

    def figures(self, school, start, end):
        """The figures of the narrative — the same ``figures.period`` as the tables; None when no meal."""
        f = figures.period(school, start, end)
        return f if (f["meals"] or f["samples"]) else None

    def narrative(self, period, f, previous, last_year):
        """ "本月留样 X 餐 Y 份，均达到125克、48小时要求" — said only when it is true."""
        if f is None:
            return [_("%(period)s no meals were recorded in the canteen.") % {"period": period.word}]
        text = _(
            "%(period)s %(meals)s meals were served with %(dishes)s dishes; samples were kept from %(sampled)s meals, %(samples)s samples"
        ) % {
            "period": period.word,
            "meals": f["meals"],
            "dishes": f["dishes"],
            "sampled": f["meals_sampled"],
            "samples": f["samples"],
        }
        text += paren(comparisons(period, "samples", f, previous, last_year, unit=_(" samples")))
        if f["samples"] and not f["below_minimum"]:
            text += _(", every one at least %(grams)s g and kept %(hours)s hours") % {
                "grams": f["min_grams"],
                "hours": f["hours"],
            }
        elif f["below_minimum"]:
            text += _(", %(n)s of them under %(grams)s g") % {"n": f["below_minimum"], "grams": f["min_grams"]}
        text += full_stop()
        if f["missing"]:
            text += " " + _("%(n)s dishes were served without a sample (listed below).") % {"n": len(f["missing"])}
        else:
            text += " " + _("Every dish served has its sample.")
        if f["late"]:
            text += " " + _("%(n)s samples were entered late.") % {"n": len(f["late"])}
        return [text]

    def open_items(self, school, day):
        """Health certificates and supplier licences expired or expiring within the warning days."""
        from .models import HealthCertificate, SupplierLicence
        from .settings_rules import CERTIFICATE_WARNING_DAYS, LICENCE_WARNING_DAYS

        items = []
        cert_until = day + datetime.timedelta(days=int(rules.value(school, CERTIFICATE_WARNING_DAYS)))
        latest = (
            HealthCertificate.objects.filter(school=school)
            .values("person")
            .annotate(until=Max("valid_until"))
            .filter(until__lte=cert_until, until__gte=day - datetime.timedelta(days=90))
        )
        certs = (
            HealthCertificate.objects.filter(school=school, valid_until__in=[r["until"] for r in latest])
            .filter(person__in=[r["person"] for r in latest])
            .select_related("person")
            .order_by("valid_until")
        )
        seen = set()
        for cert in certs:
            if cert.person_id in seen or not any(
                r["person"] == cert.person_id and r["until"] == cert.valid_until for r in latest
            ):
                continue
            seen.add(cert.person_id)
            text = _("Health certificate of %(person)s expired on %(date)s") if cert.valid_until < day else None
            text = text or _("Health certificate of %(person)s expires on %(date)s")
            items.append(
                OpenItem(
                    text % {"person": cert.person, "date": cert.valid_until.isoformat()},
                    due=cert.valid_until,
                    url=cert.get_absolute_url(),
                    kind=_("Health certificate"),
                )
            )
        licence_until = day + datetime.timedelta(days=int(rules.value(school, LICENCE_WARNING_DAYS)))
        current = (
            SupplierLicence.objects.filter(school=school, supplier__active=True)
            .values("supplier", "kind")
            .annotate(until=Max("valid_until"))
            .filter(until__lte=licence_until, until__gte=day - datetime.timedelta(days=90))
        )
        wanted = {(r["supplier"], r["kind"], r["until"]) for r in current}
        for lic in (
            SupplierLicence.objects.filter(school=school, supplier_id__in=[r["supplier"] for r in current])
            .select_related("supplier")
            .order_by("valid_until")
        ):
            if (lic.supplier_id, lic.kind, lic.valid_until) not in wanted:
                continue
            wanted.discard((lic.supplier_id, lic.kind, lic.valid_until))
            text = _("Licence of %(supplier)s expired on %(date)s") if lic.valid_until < day else None
            text = text or _("Licence of %(supplier)s expires on %(date)s")
            items.append(
                OpenItem(
                    text % {"supplier": lic.supplier, "date": lic.valid_until.isoformat()},
                    due=lic.valid_until,
                    url=lic.get_absolute_url(),
                    kind=_("Supplier licence"),
                )
            )
        return items

    def build(self, school, start, end):
        f = figures.period(school, start, end)
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
        # the narrative (from the same figures) says what ``text`` said; the purchase and morning checks follow
        return SectionData(title=str(self.title), paragraphs=[text2], tables=tables)
