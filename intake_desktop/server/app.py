"""The training server's Flask app: the contract's routes, the trainer's, errors as JSON.

Every answer, errors included, is JSON in the contract's ``Error`` shape (never an HTML
page); one line per request is logged (method, path, status, milliseconds), never a
header, password or token.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from intake_desktop.server.api import api
from intake_desktop.server.db import open_database
from intake_desktop.server.errors import ApiError
from intake_desktop.server.faults import TRAINING_PREFIX
from intake_desktop.server.http_io import json_response
from intake_desktop.server.seed import DataDir, DataDirLock
from intake_desktop.server.state import EXTENSION_KEY, ServerConfig, ServerState, server_state
from intake_desktop.server.training import training

log = logging.getLogger("intake_desktop.server")

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def create_app(config: ServerConfig) -> Flask:
    """Return the app serving the seeded data folder ``config.data_dir``.

    Locks the folder and opens its database (``server_state(app).close()`` undoes both).
    Raises :class:`~intake_desktop.server.db.ServerDataError` if the folder is not seeded,
    was seeded by another version, or another server uses it.
    """
    lock = DataDirLock(config.data_dir).acquire()
    try:
        database = open_database(DataDir(config.data_dir).database)
    except BaseException:
        lock.release()
        raise
    app = Flask(__name__, static_folder=None)  # no file routes beyond the contract
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions[EXTENSION_KEY] = ServerState(config, database, lock)
    if config.flavor == "igate":
        from intake_desktop.server.igate_api import igate

        app.register_blueprint(igate)
    else:
        app.register_blueprint(api)
    app.register_blueprint(training)
    app.before_request(_start)
    if config.fault_injection:
        app.before_request(_status_burst)
    app.after_request(_finish)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _start() -> None:
    g.started = time.monotonic()


def _status_burst() -> Response | None:
    hit = server_state().faults.take_status(request.path)
    if hit is None:
        return None
    burst, remaining = hit
    headers = {} if burst.retry_after is None else {"Retry-After": str(burst.retry_after)}
    error = "rate_limited" if burst.code == 429 else "server_error"
    message = f"training fault: answering {burst.code} ({remaining - 1} more to come)"
    return json_response({"error": error, "message": message}, burst.code, headers)


def _finish(response: Response) -> Response:
    state = server_state()
    delay = state.faults.delay_seconds if state.config.fault_injection else 0.0
    if delay > 0 and not request.path.startswith(TRAINING_PREFIX):
        # The work is done; only the answer is late (a client may time out meanwhile).
        state.stopping.wait(delay)
    started = g.get("started", time.monotonic())
    log.info(
        "%s %s %d %d ms (%s %s)",
        request.method,
        request.path,
        response.status_code,
        round((time.monotonic() - started) * 1000),
        request.remote_addr or "-",
        g.get("username", "-"),
    )
    return response


def _api_error(error: ApiError) -> Response:
    return json_response(error.body(), error.status, error.headers)


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name.lower() == "allow"}
    code = _HTTP_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    return json_response({"error": code, "message": error.description or ""}, status, headers)


def _unexpected_error(error: Exception) -> Response:
    log.error("%s %s failed", request.method, request.path, exc_info=error)
    return json_response(
        {"error": "server_error", "message": "internal error of the training server; see its log"},
        500,
    )
