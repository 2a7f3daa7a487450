"""Form bases of step pages: every choice list is narrowed to the object's school."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .serializers import restrict_relations


class StepForm(forms.Form):
    """The input of a step on a page; ``obj`` is the record, ``user`` the person taking the step."""

    def __init__(self, *args, obj=None, user=None, school=None, **kwargs):
        self.obj, self.user = obj, user
        self.school = school if school is not None else getattr(obj, "school", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound and obj is not None and not kwargs.get("initial"):
            self.initial = self.initial_for(obj)
        restrict_relations(self.fields, user, self.school, visible=False)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def initial_for(self, obj):
        """The values shown before the user changes anything (e.g. the current assignees)."""
        return {}

    def clean(self):
        data = super().clean()
        school_id = getattr(self.school, "pk", None)
        for name, value in (data or {}).items():
            values = value if isinstance(value, list | tuple | set | QuerySet) else [value]
            if any(getattr(v, "school_id", school_id) != school_id for v in values if v is not None):
                self.add_error(name, _("This belongs to another school."))
        return data


class NoInputForm(StepForm):
    """A step with nothing to fill in."""


class ReasonForm(StepForm):
    reason = forms.CharField(max_length=300, label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
