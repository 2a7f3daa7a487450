"""zh-Hans: Django's formats, with the input formats a browser's date and datetime-local boxes take first."""

from django.conf.locale.zh_Hans import formats as _django

DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _django.DATE_INPUT_FORMATS if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    *[f for f in _django.DATETIME_INPUT_FORMATS if f not in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")],
]
