"""Every form goes through the shared input rules: none derives from Flask-WTF's FlaskForm directly."""

import importlib
import pkgutil

import flask_wtf

import writer_app
from writer_app.forms.base import FlaskForm


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_class_uses_the_shared_base() -> None:
    for module in pkgutil.walk_packages(writer_app.__path__, "writer_app."):
        if ".static" not in module.name:
            importlib.import_module(module.name)
    forms = {cls for cls in _all_subclasses(flask_wtf.FlaskForm) if cls.__module__.startswith("writer_app.")}
    assert len(forms) > 20  # the walk found the app's forms
    outside = sorted(
        f"{cls.__module__}.{cls.__qualname__}" for cls in forms if not issubclass(cls, FlaskForm)
    )
    assert outside == []
