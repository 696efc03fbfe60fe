"""The training server (``intake-desktop serve``): the dossier contract over HTTP.

It plays the provincial procedure system for classrooms and tests: the routes of
``resources/api/openapi.json`` over its own SQLite file, seeded with demo dossiers, with
classroom accounts, and trainer-only routes under ``/api/v1/_training/`` (decisions
recorded, reset, injected faults). Flask app from :func:`create_app`, served by waitress
(:mod:`.serving`); tests start it with :mod:`.testing`. Plain Python: never Qt.
"""

from intake_desktop.server.app import create_app
from intake_desktop.server.state import ServerConfig

__all__ = ["ServerConfig", "create_app"]
