"""The core stays pure: every app and shell module is forbidden to it."""

from __future__ import annotations

import pkgutil
import tomllib

import medvigil
from tests.conftest import REPOSITORY


def test_every_module_outside_the_core_is_forbidden_to_the_core() -> None:
    configuration = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    contract = configuration["tool"]["importlinter"]["contracts"][0]
    assert contract["source_modules"] == ["medvigil.core"]
    forbidden = set(contract["forbidden_modules"])
    assert {"django", "ninja"} <= forbidden
    shell = {
        f"medvigil.{module.name}"
        for module in pkgutil.iter_modules(medvigil.__path__)
        if module.name not in {"core", "__main__", "wsgi", "asgi"}
    }
    assert shell - forbidden == set()
