"""First and reset passwords: random, readable from paper, passing the password validators."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

LETTERS = "abcdefghjkmnpqrstuvwxyz"
DIGITS = "23456789"


def new_password(user=None):
    """e.g. ``kmr7-tq4x-hz9p``: 12 letters and digits in three groups (≈ 60 bits)."""
    while True:
        groups = ["".join(secrets.choice(LETTERS + DIGITS) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        if any(c in DIGITS for c in password) and any(c in LETTERS for c in password):
            try:
                validate_password(password, user)
            except ValidationError:
                continue
            return password


def set_first_password(user, password=None):
    """Give ``user`` a password that must be changed at the next sign-in; returns it (shown once)."""
    password = password or new_password(user)
    user.set_password(password)
    user.must_change_password = True
    return password
