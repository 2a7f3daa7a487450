"""The upload and column-mapping forms of every import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import check_upload


class UploadForm(forms.Form):
    """The file (XLSX or CSV). An unreadable file is refused here with one message; nothing is stored."""

    file = forms.FileField(label=_("file (XLSX or CSV)"), help_text=_("First row: column headers. One record per row."))

    def __init__(self, *args, user=None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.school = user, school
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.csv"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.headers = check_upload(upload)
        return upload


class MappingForm(forms.Form):
    """One select per column of the importer: which column of the file holds it. Subclasses add the
    importer's options as fields named in ``option_fields`` (stored as ``_<name>`` in the mapping)."""

    option_fields = ()

    def __init__(self, *args, importer, headers=(), initial_mapping=None, user=None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer, self.user, self.school = importer, user, school
        choices = [("", _("— not in the file —"))] + [(str(i), h or f"#{i + 1}") for i, h in enumerate(headers)]
        initial_mapping = initial_mapping or {}
        for column in importer.columns:
            self.fields[f"map_{column.name}"] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=column.required,
                help_text=column.help_text,
                initial=str(initial_mapping[column.name]) if column.name in initial_mapping else "",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for name in self.option_fields:
            if f"_{name}" in initial_mapping:
                self.fields[name].initial = initial_mapping[f"_{name}"]
            widget = self.fields[name].widget
            widget.attrs.setdefault(
                "class", "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            )
        self.order_fields([f"map_{c.name}" for c in importer.columns] + list(self.option_fields))

    def mapping(self):
        result = {}
        for column in self.importer.columns:
            value = self.cleaned_data.get(f"map_{column.name}")
            if value not in (None, ""):
                result[column.name] = int(value)
        return result

    def options(self):
        return {name: self.cleaned_data.get(name) for name in self.option_fields}

    def clean(self):
        data = super().clean()
        used = [v for k, v in data.items() if k.startswith("map_") and v not in (None, "")]
        if len(used) != len(set(used)):
            raise forms.ValidationError(_("A column is mapped to two fields."))
        return data
