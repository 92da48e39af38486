"""The one error a service raises for bad input: it carries a message key, not text."""

from __future__ import annotations


class UserError(Exception):
    """Input the user can fix; `key` names a message in the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
