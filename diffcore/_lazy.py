"""Names of a package imported from their modules on first use (PEP 562).

`diffcore diff` then loads only what the command runs: each module costs its
import, and each frozen dataclass in it about a millisecond to make.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, homes: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose names `homes` maps to the modules defining them."""
    namespace = sys.modules[package].__dict__

    def attribute(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # __import__, not importlib.import_module: `python -X importtime` then reports the module's own time.
        value = getattr(__import__(home, fromlist=[name]), name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted(set(namespace) | set(homes))

    return attribute, names
