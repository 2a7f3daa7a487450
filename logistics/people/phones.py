"""Phone numbers: validated and stored normalised (E.164, e.g. +8613800138000); a guardian's username is
the number as they type it (13800138000 for a mainland mobile)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

REGION = "CN"


def parse(value):
    """A valid ``PhoneNumber`` or ValidationError."""
    try:
        number = PhoneNumber.from_string(str(value or "").strip(), region=REGION) if value else None
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not number.is_valid():
        raise ValidationError(_("Enter a valid phone number, e.g. 138 0013 8000."), code="invalid_phone")
    return number


def username_for(number):
    """A mainland number signs in as its 11 digits; others as the full +… form."""
    if number.country_code == 86:
        return str(number.national_number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
