"""Officer accounts and bearer tokens of the training server.

Passwords are kept as salted scrypt hashes; tokens are random and kept as their SHA-256,
so looking a token up is a hash lookup (no timing leak from comparing secrets) and a copy
of the database holds no usable token.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from intake_desktop.server.models import OfficerRow, TokenRow

DEFAULT_PASSWORD = "matkhau123"
"""The classroom password of every seeded account; printed when the server starts."""
TRAINER_USERNAME = "giangvien"

_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024

OFFICER_UNIT = "Bộ phận Một cửa UBND phường Dịch Vọng (DEMO)"
"""The desk the demo dossiers are submitted to (``demo.dossiers.DEFAULT_OFFICE``)."""
TRAINER_UNIT = "Trung tâm Phục vụ hành chính công (DEMO)"
SUPERVISOR_USERNAME = "giamsat"
"""The desk's supervisor (trưởng bộ phận): audits every officer's decisions of the unit."""

_OFFICER_NAMES = (
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
    "Lê Thu Hà",
    "Phạm Minh Tuấn",
    "Hoàng Thị Mai",
    "Vũ Đức Anh",
    "Đặng Ngọc Anh",
    "Bùi Quang Huy",
    "Đỗ Thanh Hương",
    "Hồ Văn Nam",
    "Ngô Thị Hằng",
    "Dương Hoàng Long",
    "Lý Phương Linh",
    "Phan Tiến Dũng",
    "Võ Thị Ngọc",
    "Huỳnh Văn Bình",
    "Nguyễn Minh Thư",
    "Trần Xuân Trường",
    "Lê Thị Hoa",
    "Phạm Thành Công",
    "Hoàng Mai Phương",
    "Vũ Văn Khánh",
    "Đặng Thị Thảo",
    "Bùi Đức Thắng",
    "Đỗ Thị Yến",
    "Hồ Quốc Bảo",
    "Ngô Thị Thanh Tâm",
    "Dương Văn Sơn",
    "Lý Thị Kim Oanh",
    "Phan Anh Khoa",
)


@dataclass(frozen=True, slots=True)
class Account:
    """A seeded account, as printed for the classroom."""

    username: str
    name: str
    unit: str
    trainer: bool = False
    supervisor: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        """The contract's ``Officer.roles`` of the account."""
        return roles_of(trainer=self.trainer, supervisor=self.supervisor)


def roles_of(*, trainer: bool, supervisor: bool) -> tuple[str, ...]:
    """Return the roles an account's flags give, ``officer`` first."""
    return (
        "officer",
        *(("supervisor",) if supervisor else ()),
        *(("trainer",) if trainer else ()),
    )


def default_accounts() -> tuple[Account, ...]:
    """Return the classroom accounts: ``giangvien`` (trainer, who also audits the class),
    ``giamsat`` (the desk's supervisor) and ``canbo01`` … ``canbo30``."""
    trainer = Account(
        TRAINER_USERNAME, "Trần Minh Đức (giảng viên)", TRAINER_UNIT, trainer=True, supervisor=True
    )
    supervisor = Account(
        SUPERVISOR_USERNAME, "Nguyễn Văn Quang (trưởng bộ phận)", OFFICER_UNIT, supervisor=True
    )
    officers = tuple(
        Account(f"canbo{number:02d}", name, OFFICER_UNIT)
        for number, name in enumerate(_OFFICER_NAMES, start=1)
    )
    return (trainer, supervisor, *officers)


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of ``password`` as ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Return whether ``password`` matches the ``stored`` hash.

    With ``stored=None`` (no such user) a hash is still computed, so an unknown username
    takes as long to refuse as a wrong password.
    """
    if stored is None:
        _scrypt(password, b"\0" * 16, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(digest, bytes.fromhex(expected))
    except ValueError:
        return False


@functools.cache
def default_password_hash(password: str = DEFAULT_PASSWORD) -> str:
    """Return one salted hash of the classroom password, computed once per process.

    Seeding gives every account the same password; hashing it 31 times (~50 ms each) would
    only slow seeding down. The hash is still salted and never leaves the database.
    """
    return hash_password(password)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32
    )


def token_sha256(token: str) -> str:
    """Return the hex SHA-256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, username: str, now: datetime, ttl: timedelta) -> str:
    """Store a new token for ``username`` valid until ``now + ttl``; return the token.

    Tokens expired for more than a day are swept at the same time.
    """
    session.execute(delete(TokenRow).where(TokenRow.expires_at < now - timedelta(days=1)))
    token = secrets.token_urlsafe(32)
    session.add(
        TokenRow(
            token_sha256=token_sha256(token), username=username, issued_at=now, expires_at=now + ttl
        )
    )
    return token


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """The officer a token belongs to, or why it was refused."""

    officer: OfficerRow | None
    problem: str = ""


def check_token(session: Session, token: str, now: datetime) -> TokenCheck:
    """Return the token's officer, or the reason (unknown, expired) it is refused."""
    row = session.get(TokenRow, token_sha256(token))
    if row is None:
        return TokenCheck(None, "unknown token; sign in again")
    if row.expires_at <= now:
        return TokenCheck(None, "token expired; sign in again")
    officer = session.get(OfficerRow, row.username)
    if officer is None:  # pragma: no cover - tokens are deleted with their officer
        return TokenCheck(None, "unknown officer; sign in again")
    return TokenCheck(officer)


def expire_all_tokens(session: Session, now: datetime) -> int:
    """Make every officer's live token expire now (a training fault); return how many.

    Trainers' tokens are spared, so the trainer who pulled the trigger can carry on.
    """
    officers = select(OfficerRow.username).where(OfficerRow.trainer.is_(False))
    result = session.execute(
        update(TokenRow)
        .where(TokenRow.expires_at > now, TokenRow.username.in_(officers))
        .values(expires_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
