"""Admin pieces of the workflow layer: a record in a terminal state is read-only in the admin too."""

from .steps import is_read_only, status_field_of


class ReadOnlyWhenFinalMixin:
    """Mix into the ``ModelAdmin`` of a model with declared steps: a record in a terminal state
    (disposed, written off, paid, closed) can be looked at but neither changed nor deleted, and the
    status itself is never edited in the admin (only steps move it)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and is_read_only(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_read_only(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        name = status_field_of(self.model)
        if name and name not in fields:
            fields.append(name)
        return fields
