"""Our overrides of Django's locale formats (``FORMAT_MODULE_PATH``).

The first input format is the one a form widget writes its value in. A browser's date box takes
``YYYY-MM-DD`` only and a datetime-local box ``YYYY-MM-DDTHH:MM``: Django's zh-Hans formats begin with
``%Y/%m/%d``, so every edit form showed its saved dates empty (and refused to save without them)."""
