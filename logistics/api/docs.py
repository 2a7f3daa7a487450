"""Which docstrings the OpenAPI schema shows. A base class or mixin whose docstring is written for
developers ("Mix into a school-scoped viewset…", "Context: ``request`` and ``object``…") is marked with
:func:`internal_doc`: the views and serializers that inherit it show their own docstring or none, not
that one (drf-spectacular falls back on the bases' docstrings; ``GET_LIB_DOC_EXCLUDES`` stops it there).
No imports at module level: the serializers and viewsets import this before drf-spectacular is ready."""

_INTERNAL = []


def internal_doc(cls):
    """Class decorator: ``cls``'s docstring is for developers, not for the API's readers."""
    _INTERNAL.append(cls)
    return cls


def lib_doc_excludes():
    """drf-spectacular's own exclusions (DRF's bases) and the classes marked :func:`internal_doc`."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    return [*get_lib_doc_excludes(), *_INTERNAL]
