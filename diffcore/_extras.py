"""Optional libraries: imported where a format needs them, with one clear error when they are missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from diffcore.errors import MissingExtraError


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise MissingExtraError naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(purpose, f"needs {module}: pip install 'diffcore[{extra}]'") from None
