"""Helpers of the training server's tests: accounts, the demo data used, and a client.

No tests here. Servers are seeded by the real demo generator (``intake_desktop.demo``);
``intake_desktop.server.testing`` generates each (count, seed) once per test session.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests

from intake_desktop.clock import vn_today

PASSWORD = "matkhau123"
OFFICER = "canbo01"
TRAINER = "giangvien"


DOSSIERS = 6
SEED = 5


def appointment_text(days: int = 14) -> str:
    """An appointment date ``days`` after today in Vietnam: after any seeded submission."""
    return (vn_today() + timedelta(days=days)).isoformat()


"""The demo data of these tests (the sync tests use the same, so it is generated once)."""


class Client:
    """``requests`` against the training server, signed in as one account."""

    def __init__(self, url: str, username: str = OFFICER, password: str = PASSWORD) -> None:
        self.url = url
        self.http = requests.Session()
        answer = self.http.post(
            f"{url}/api/v1/auth/token",
            json={"username": username, "password": password},
            timeout=10,
        )
        answer.raise_for_status()
        self.token_document: dict[str, Any] = answer.json()
        self.http.headers["Authorization"] = f"Bearer {self.token_document['access_token']}"

    def get(self, path: str, **options: Any) -> requests.Response:
        options.setdefault("timeout", 10)
        return self.http.get(f"{self.url}{path}", **options)

    def post(self, path: str, **options: Any) -> requests.Response:
        options.setdefault("timeout", 10)
        return self.http.post(f"{self.url}{path}", **options)

    def delete(self, path: str, **options: Any) -> requests.Response:
        options.setdefault("timeout", 10)
        return self.http.delete(f"{self.url}{path}", **options)

    def all_summaries(self, **params: Any) -> list[dict[str, Any]]:
        answer = self.get("/api/v1/dossiers", params={"limit": 500, **params})
        answer.raise_for_status()
        items = answer.json()["items"]
        assert isinstance(items, list)
        return items

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
