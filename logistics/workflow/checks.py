"""System checks of the declared steps: each names a permission that exists, and its form,
serializer and service import."""

from django.apps import apps
from django.core import checks
from django.utils.module_loading import import_string

from .steps import steps_of


def _model_perms(model):
    opts = model._meta
    codenames = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
    codenames |= {codename for codename, _name in opts.permissions}
    return codenames


@checks.register()
def check_steps(app_configs=None, **kwargs):
    errors = []
    for model in apps.get_models():
        for spec in steps_of(model):
            where = f"{model._meta.label}.{spec.name}"
            if not spec.permission:
                errors.append(checks.Error(f"Step {where} declares no permission.", id="workflow.E001"))
            elif f"{spec.permission}_{model._meta.model_name}" not in _model_perms(model):
                errors.append(
                    checks.Error(
                        f"Step {where}: permission {spec.permission}_{model._meta.model_name} does not exist "
                        "(add it to Meta.permissions).",
                        id="workflow.E002",
                    )
                )
            for kind in ("form", "serializer", "service", "offered"):
                value = spec.extra.get(kind) if kind == "offered" else getattr(spec, kind)
                if isinstance(value, str):
                    try:
                        import_string(value)
                    except ImportError:
                        errors.append(
                            checks.Error(f"Step {where}: {kind} {value} does not import.", id="workflow.E003")
                        )
    return errors
