"""Ctrl-C during ``fit``: training stops between two samples, never inside a step.

=====================  =====================================================================
name                   what it is
=====================  =====================================================================
``_Deferred``          the SIGINT handler ``fit`` installs on the main thread: the first
                       Ctrl-C asks training to stop, a second one raises KeyboardInterrupt
``_Stop``              raised by the loop at a sample boundary once a stop was asked for
=====================  =====================================================================

Only the default handler is replaced, and it is put back when ``fit`` returns.

>>> d = _Deferred()
>>> d(2, None); d.requested
True
"""

from __future__ import annotations

import signal
import threading
from typing import Any, List

__all__: List[str] = []


class _Deferred:
    """SIGINT handler for the main thread: the first Ctrl-C asks training to stop at the next
    sample boundary; a second one raises KeyboardInterrupt at once."""

    def __init__(self) -> None:
        self.requested = False
        self.old: Any = None
        self.installed = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def install(self) -> None:
        """Become the SIGINT handler, if this is the main thread and the default one is set."""
        if threading.current_thread() is not threading.main_thread():
            return
        try:
            if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
                return           # someone else handles Ctrl-C: leave it alone
            self.old = signal.signal(signal.SIGINT, self)
            self.installed = True
        except (ValueError, OSError):  # pragma: no cover - embedded interpreters
            pass

    def remove(self) -> None:
        """Put back the handler that was there before :meth:`install`."""
        if self.installed:
            signal.signal(signal.SIGINT, self.old)
            self.installed = False


class _Stop(Exception):
    """A stop asked for with Ctrl-C, raised where the net and optimizer are consistent."""
