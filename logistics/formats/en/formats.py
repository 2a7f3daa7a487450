"""en: Django's formats, with the input format a browser's datetime-local box takes first."""

from django.conf.locale.en import formats as _django

DATE_INPUT_FORMATS = _django.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    *[f for f in _django.DATETIME_INPUT_FORMATS if f not in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")],
]
