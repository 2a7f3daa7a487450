"""The importer registry: each app declares what its files hold, in ``AppConfig.ready()``::

    from logistics.imports import registry as imports

    imports.register(LedgerImporter())

An :class:`Importer` names its record model (a concrete :class:`~logistics.imports.models.ImportRecord`
of the app), its columns, the lookups loaded once per file, the checks across a row's columns, the
fields that must be unique (in the file and against the database), and how the rows are applied — all of
them or none, inside one transaction the engine opens.
"""

from django.apps import apps
from django.utils.translation import gettext as _

__all__ = ["Importer", "get", "importers", "register"]

_IMPORTERS = {}


class Importer:
    """Declares one kind of file. Subclass, set the attributes, override the hooks you need."""

    #: registry key, "<app>.<what>": "assets.ledger", "people.students"
    code = ""
    #: what is imported, for titles ("Students")
    label = ""
    #: the record model's label, "assets.AssetImport"
    model = ""
    #: [Column, …] in the order of the template
    columns = []
    #: fields whose values must not repeat in the file nor exist already (see :meth:`existing`)
    unique_fields = ()
    #: help shown above the upload form
    help_text = ""

    @property
    def record_model(self):
        return apps.get_model(self.model)

    def column(self, name):
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required(self):
        return [c.name for c in self.columns if c.required]

    # --- hooks ---------------------------------------------------------------------------------------

    def lookups(self, record):
        """What rows are matched against, loaded once per file (a handful of queries): any object;
        it is passed to every column's parser and to :meth:`clean_row`."""
        return None

    def clean_row(self, values, row, lookups):
        """Checks across columns of one row; report with ``row.error(field, message)``; may change
        ``values`` (the parsed cells, by field name)."""

    def existing(self, record, field, values):
        """Of ``values`` (of a unique field), those already in the database (one query per chunk)."""
        return set()

    def duplicate_message(self, field, value, other_row):
        return _("“%(value)s” appears twice in the file (also in row %(other)s)") % {"value": value, "other": other_row}

    def existing_message(self, field, value):
        return _("“%(value)s” is already registered") % {"value": value}

    def apply(self, record, rows, user, progress):
        """Write every row (``rows``: [(row number, values)]) — inside the engine's transaction, so a
        failure leaves nothing. Call ``progress(n)`` now and then. Returns the number of records made."""
        raise NotImplementedError

    def done_message(self, count):
        return _("%(n)s rows imported.") % {"n": count}

    def template_rows(self):
        """Example rows for the XLSX template (below the header row)."""
        return [[c.example for c in self.columns]]


def register(importer):
    """Declare an importer (in ``AppConfig.ready()``)."""
    if not importer.code or not importer.model:
        raise ValueError("An importer needs a code and a record model.")
    _IMPORTERS[importer.code] = importer
    return importer


def get(code):
    """The importer registered as ``code``; ``KeyError`` if none."""
    return _IMPORTERS[code]


def importers(model=None):
    """The registered importers (of one record model)."""
    found = list(_IMPORTERS.values())
    if model is not None:
        label = model._meta.label if not isinstance(model, str) else model
        found = [i for i in found if i.model.lower() == label.lower()]
    return found
