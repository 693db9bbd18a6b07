"""Progress display on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """One status line: which workload and implementation, which phase, elapsed time.

    On a terminal the line is redrawn in place; otherwise (a log file, CI) each
    update is its own line.  ``enabled=False`` silences it.
    """

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.start = time.perf_counter()
        self.index = 0
        self.context = ""
        self._width = 0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def next_case(self, workload: str, size_label: str) -> None:
        """Start the next (workload, size) case."""
        self.index += 1
        self.context = f"[{self.index}/{self.total}] {workload} {size_label}"

    def update(self, implementation: str, phase: str) -> None:
        """Show ``phase`` (e.g. ``repeat 3/10``) for ``implementation``."""
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        line = f"{self.context} | {implementation}: {phase} | {elapsed:6.1f} s"
        if self._tty:
            pad = max(self._width - len(line), 0)
            self.stream.write("\r" + line + " " * pad)
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def message(self, text: str) -> None:
        """A line that stays (warnings, file paths)."""
        if not self.enabled:
            return
        self.done()
        self.stream.write(text + "\n")
        self.stream.flush()

    def done(self) -> None:
        """End the in-place line, if any."""
        if self.enabled and self._tty and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
