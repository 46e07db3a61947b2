"""Which Python adapters (``module:callable``) a system may name: the operator's allow-list.

An adapter is code the generation worker imports and calls, so registering one must not be
a way to run arbitrary code (``os:system``). The operator lists the importable modules in
``settings.EVALPLATFORM_ADAPTER_MODULES`` (module names; each also allows its submodules).
A spec is checked when a system is registered and again by the worker before any import,
since a row can reach the database without validation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from generation.backends import ADAPTER
from generation.errors import GenerationError

SETTING = "EVALPLATFORM_ADAPTER_MODULES"


class AdapterNotAllowed(GenerationError):
    """A system's adapter that the operator has not allowed; nothing was imported."""


def allowed_modules() -> list[str]:
    return [name.strip() for name in settings.EVALPLATFORM_ADAPTER_MODULES if name.strip()]


def module_allowed(module: str) -> bool:
    """True for a listed module and its submodules (``demo`` allows ``demo.adapters``, never
    ``demonic``)."""
    return any(module == name or module.startswith(name + ".") for name in allowed_modules())


def adapter_spec_problem(spec: str) -> str | None:
    """Why this ``module:callable`` may not be used, or None when it may. Never imports."""
    module, sep, attributes = spec.strip().partition(":")
    if not sep or not module or not attributes:
        return "An adapter is written as package.module:callable."
    parts = [*module.split("."), *attributes.split(".")]
    if not all(part.isidentifier() for part in parts):
        return f"{spec.strip()!r} is not a valid package.module:callable."
    if any(part.startswith("_") for part in attributes.split(".")):
        # Private and dunder attributes lead out of the module (__globals__, __builtins__).
        return f"The adapter's callable must be a public name, not {attributes!r}."
    if not module_allowed(module):
        listed = ", ".join(allowed_modules()) or "none"
        return (
            f"Module {module!r} is not an allowed adapter module. The operator lists them in "
            f"the {SETTING} setting (allowed now: {listed})."
        )
    return None


def validate_adapter_spec(spec: str) -> None:
    """Model and form validation: a ValidationError on ``path`` for a refused adapter."""
    problem = adapter_spec_problem(spec)
    if problem:
        raise ValidationError({"path": problem})


def adapter_check_before_import(*, kind: str, spec: str) -> None:
    """The worker's check, for any system: an adapter off the list is refused before anything
    is imported; then the callable must really live in an allowed module
    (``demo.adapters:os.system`` would reach ``os`` through the module's own imports)."""
    if kind != ADAPTER:
        return
    problem = adapter_spec_problem(spec)
    if problem:
        raise AdapterNotAllowed(f"Adapter {spec.strip()!r} refused: {problem}")
    from generation.backends.adapter import import_callable

    home = getattr(import_callable(spec), "__module__", None)
    if not isinstance(home, str) or not module_allowed(home):
        raise AdapterNotAllowed(
            f"Adapter {spec.strip()!r} refused: the callable comes from module {home!r}, "
            f"which is not listed in the {SETTING} setting."
        )
