"""The actual cost of one student in a term settlement (逐人实际费用), when it is entered per student
rather than as a total split by rule."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

__all__ = ["StudentCost"]


class StudentCost(PrimaryModel):
    """What was actually spent for one charged student (the textbooks they received, the meals they
    ate): entered by the finance officer class by class, used by a settlement whose split is "per
    student". Changed only while the settlement is not approved; every change is recorded."""

    settlement = models.ForeignKey(
        "finance.Settlement", on_delete=models.CASCADE, related_name="student_costs", verbose_name=_("settlement")
    )
    charge = models.ForeignKey("finance.Charge", on_delete=models.PROTECT, related_name="+", verbose_name=_("charge"))
    amount = models.DecimalField(
        _("actual cost (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("actual cost of a student")
        verbose_name_plural = _("actual costs of students")
        ordering = ["school", "settlement", "charge"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "settlement", "charge"],
                name="finance_student_cost_unique",
                violation_error_message=_("This student's actual cost is already entered in this settlement."),
            )
        ]

    def __str__(self):
        return f"{self.amount}"

    def get_absolute_url(self):
        return self.settlement.get_absolute_url()
