"""Every model of the project has tests: a test class named ``Test<ModelName>…`` somewhere in tests/."""

import re
from pathlib import Path

from django.apps import apps

TESTS = Path(__file__).resolve().parent


def project_models():
    for model in apps.get_models():
        module = model.__module__
        if module.startswith(("logistics.", "assets.", "repairs.", "canteen.", "finance.", "safety.", "utilities.")):
            yield model


def test_every_model_has_a_test_class():
    source = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py"))
    names = set(re.findall(r"^class (Test\w+)", source, flags=re.MULTILINE))
    missing = [
        model._meta.label
        for model in project_models()
        if not any(name.startswith(f"Test{model.__name__}") for name in names)
    ]
    assert not missing, f"models without a Test<Model>… class: {missing}"
