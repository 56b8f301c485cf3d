"""Records that pickle as their class and field values.

A frozen slots dataclass pickles, by default, through a state that
`dataclasses.fields` lists anew for every object read back: about 17 µs
an object, more than parsing its line cost. Snapshots cross process
boundaries by the thousand (the workers of `timeline`, `store add` and
collections), so the records they are made of pickle as the class and its
field values instead, and read back by constructing them: about 1 µs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
"""Each record class's field getter, made on its first pickling."""


def _values_of(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [field.name for field in fields(cls)]
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return attrgetter(*names)


class ByFields:
    """A dataclass base: pickled as `(type(self), (field values...))`, unpickled by calling the class."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        cls = type(self)
        values = _VALUES.get(cls)
        if values is None:
            values = _VALUES[cls] = _values_of(cls)
        return cls, values(self)
