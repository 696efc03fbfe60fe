"""Errors a request can end in, each with its HTTP status and the contract's JSON body."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer other than success: the app turns it into ``status`` and :meth:`body`."""

    status = 500
    error = "server_error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON body (the contract's ``Error`` unless a subclass says otherwise)."""
        return {"error": self.error, "message": self.message}


class Unauthorized(ApiError):
    """No, unknown or expired token, or wrong credentials (401)."""

    status = 401
    error = "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="intake-training"'})


class Forbidden(ApiError):
    """Signed in, but not allowed (the trainer's routes, for officers) (403)."""

    status = 403
    error = "forbidden"


class NotFound(ApiError):
    """No such dossier, attachment or route (404)."""

    status = 404
    error = "not_found"


class ValidationFailed(ApiError):
    """The request is invalid; ``fields`` says which part and why (422)."""

    status = 422
    error = "validation"

    def __init__(self, message: str, fields: dict[str, str]) -> None:
        super().__init__(message)
        self.fields = fields

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "message": self.message, "fields": self.fields}


class Conflict(ApiError):
    """The dossier was decided or changed since the version the officer saw (409)."""

    status = 409
    error = "conflict"

    def __init__(self, message: str, status: str, version: int) -> None:
        super().__init__(message)
        self.dossier_status = status
        self.dossier_version = version

    def body(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "message": self.message,
            "status": self.dossier_status,
            "version": self.dossier_version,
        }


class RangeNotSatisfiable(ApiError):
    """The requested byte range starts at or past the end of the file (416)."""

    status = 416
    error = "range_not_satisfiable"

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message, headers={"Content-Range": f"bytes */{size}"})
