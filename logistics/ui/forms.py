"""Form base classes: choice lists come from ``restrict()`` in the current school."""

from django import forms


def restrict_choices(form, user, school):
    """Narrow every model-choice field of ``form`` to what ``user`` may see in ``school`` (the one
    narrowing of relations, ``logistics.workflow.serializers.restrict_relations``)."""
    from logistics.workflow.serializers import restrict_relations

    restrict_relations(form.fields, user, school, visible=True)


class SchoolScopedForm(forms.ModelForm):
    """A model form for a school's record; pass ``user`` and ``school``."""

    def __init__(self, *args, user=None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.school = school
        restrict_choices(self, user, school)
        if self.instance is not None and not self.instance.school_id and school is not None:
            self.instance.school = school
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def _get_validation_exclusions(self):
        # The school is set on the instance, not in the form: still check unique constraints that include
        # it (a duplicate room name answers with a message instead of a database error).
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("school")
        return exclusions
