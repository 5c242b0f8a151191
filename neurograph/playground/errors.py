"""The playground's refusal: :class:`ApiError`, a status (as in HTTP) and a message.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``ApiError``               a refused request: ``status`` (400, 404, 409, 413) and a message
=========================  ============================================================

>>> str(ApiError(400, "epochs must be a whole number"))
'epochs must be a whole number'
"""

from __future__ import annotations

from ..core.errors import NeurographError

__all__ = ["ApiError"]


class ApiError(NeurographError):
    """A request the playground refuses: a status (as in HTTP: 400 a bad request) and a
    message for the page.  A refused request changes nothing.

    >>> e = ApiError(400, "epochs must be a whole number")
    >>> e.status, str(e)
    (400, 'epochs must be a whole number')
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
