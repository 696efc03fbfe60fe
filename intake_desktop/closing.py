"""``with`` support for anything that has a ``close()``."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """Mix in: ``with thing:`` closes it at the end of the block."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
