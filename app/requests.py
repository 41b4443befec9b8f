"""The request class: form fields and query strings arrive without NUL characters; ids in URLs
and payloads fit the id columns.

PostgreSQL text cannot hold U+0000 and no legitimate form field needs it, so it is removed once,
here, for every route — rather than in each place that stores text.
"""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL (SQLite stops at 2^63): a larger number reaching a query
# fails in the driver instead of finding nothing.
MAX_ID = 2**31 - 1


def fits_id(value: int) -> bool:
    """Whether a number can be an id of a row (1 to MAX_ID)."""
    return 1 <= value <= MAX_ID


class DatabaseId(IntegerConverter):
    """`<int:…>` in every route: a number beyond MAX_ID matches no route (404), as a missing
    row would, instead of reaching the database."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def without_nul(fields: MultiDict[str, Any]) -> ImmutableMultiDict[str, Any]:
    """A copy of the fields with NUL characters removed from every string value."""
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value)
        for key, value in fields.items(multi=True)
    )


class CleanRequest(Request):
    """Flask's request, with NUL characters stripped from form fields and query arguments."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = without_nul(self.form)

    @property
    def args(self) -> ImmutableMultiDict[str, str]:
        """Query arguments without NUL characters."""
        cached = self.__dict__.get("_clean_args")
        if cached is None:
            cached = self.__dict__["_clean_args"] = without_nul(super().args)
        return cached
