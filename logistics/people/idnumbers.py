"""Resident ID numbers (居民身份证号码, GB 11643-1999): checked on entry, never shown whole.

``mask("110101201001011234")`` → ``110***********1234``: the first three and last four characters stay,
the rest are stars (the issue's rule for minors' data under PIPL).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalise(value):
    return (value or "").strip().upper()


def check_digit(first17):
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_id_number(value):
    """18 characters, digits with an optional final X, and the GB 11643 check character matching."""
    value = normalise(value)
    if not PATTERN.match(value):
        raise ValidationError(
            _("Enter an 18-character resident ID number (the last character is a digit or X)."),
            code="invalid",
        )
    if check_digit(value[:17]) != value[17]:  # the shape is right: a digit mistyped or two swapped
        raise ValidationError(
            _("This ID number does not add up (its check character does not match): check each digit again."),
            code="check_digit",
        )


def mask(value):
    value = normalise(value)
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
