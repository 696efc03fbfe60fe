"""Demo dossiers: realistic online dossiers, each built around one situation an officer must
recognise (a :class:`Scenario`), with signed PDF components and the decision a trainer expects.

Used by test mode (:class:`intake_desktop.services.demo_source.DemoDossierSource`), the
training server and benchmarks. Everything is deterministic: the same ``seed``, ``count``,
catalog and ``now`` give the same dossiers, people, codes and byte-identical files.

How a dossier is made: a cheap, sequential *plan* (scenario, procedure, people, times,
codes, who signs what) from ``random.Random`` seeded per dossier; then the expensive *build*
(PDFs, signatures, tampering), which depends on the plan alone and so can run in worker
processes for large counts. What makes the build fast enough for thousands of dossiers:

- documents other than the applicant's own declarations (birth certificate, copies…) have
  the same content in every dossier and are made once per process (each dossier still signs
  its own copy with its applicant's certificate);
- a person's certificate is issued once and reused for all their signatures;
- signatures reserve their space from the certificate sizes (no dry-run signature);
- bulk generation uses a process pool (``workers``).

Every certificate comes from :func:`demo_pki` (seed 0), whose root is what test mode trusts
(:func:`demo_trust`); the dossier ``seed`` varies the people and situations, not the PKI.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import logging
import math
import multiprocessing
import os
import random
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from intake_desktop.clock import vn_today
from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.people import (
    HOME_LOCALITIES,
    PROVINCE_CODES,
    Locality,
    Person,
    Sex,
    child_name,
    random_person,
    slug,
)
from intake_desktop.demo.pki import PROVIDERS, DemoPki, KeyType, SignerIdentity
from intake_desktop.demo.signing import sign_pdf, signature_space
from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    ComponentSpec,
    CopyKind,
    DecisionKind,
    Dossier,
    DossierStatus,
    Procedure,
)
from intake_desktop.services.signatures.trust import TrustStore
from intake_desktop.services.working_days import VN_TZ, OfficeCalendar

log = logging.getLogger(__name__)

DEMO_PKI_SEED = 0
"""Seed of the PKI every demo dossier is signed under (test mode trusts its root)."""

PDF = "application/pdf"

# From this many dossiers, ``workers=None`` builds them in a process pool.
_PARALLEL_FROM = 100
_MAX_WORKERS = 8
# Dossiers a desk receives per working day, to spread large counts over more days.
_DOSSIERS_PER_DAY = 250
# How often an optional (conditional) online component is submitted too.
_OPTIONAL_SHARE = 0.25


class Scenario(enum.StrEnum):
    """The situation a demo dossier is built around: what the officer must recognise."""

    ALL_GOOD = "all_good"
    """Complete, every file signed by the applicant with a valid certificate: accept."""
    MISSING_COMPONENT = "missing_component"
    """A required component was not submitted."""
    UNSIGNED_COMPONENT = "unsigned_component"
    """A component that must be signed (the declaration) was uploaded without a signature."""
    SIGNER_MISMATCH = "signer_mismatch"
    """Validly signed, but by someone else: the signer's CCCD is not the applicant's."""
    MODIFIED_AFTER_SIGNING = "modified_after_signing"
    """The declaration's CCCD number was replaced in an incremental update after signing."""
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    """Signed with a certificate from an unknown root, or a self-signed one."""
    EXPIRED_CERTIFICATE = "expired_certificate"
    """The certificate has expired and no timestamp proves it was valid at signing."""
    TWO_SIGNATURES = "two_signatures"
    """The declaration carries the applicant's and a second person's valid signatures."""
    CORRUPT_ATTACHMENT = "corrupt_attachment"
    """A file is truncated, or not a PDF at all (a web page, a photo)."""
    ANNOTATED_AFTER_SIGNING = "annotated_after_signing"
    """A sticky note was added after signing: valid with a warning, content unchanged."""
    UNSIGNED_NOT_REQUIRED = "unsigned_not_required"
    """A component the procedure does not require to be signed was uploaded unsigned."""

    @property
    def label_vi(self) -> str:
        """A short Vietnamese name for trainers."""
        return _LABELS[self]

    @property
    def expected_decision(self) -> DecisionKind:
        """The decision an officer should make."""
        return DecisionKind.ACCEPT if self in _ACCEPTABLE else DecisionKind.REQUEST_SUPPLEMENT


_LABELS = {
    Scenario.ALL_GOOD: "Hồ sơ hợp lệ",
    Scenario.MISSING_COMPONENT: "Thiếu thành phần bắt buộc",
    Scenario.UNSIGNED_COMPONENT: "Thành phần phải ký số nhưng chưa ký",
    Scenario.SIGNER_MISMATCH: "Người ký không phải chủ hồ sơ",
    Scenario.MODIFIED_AFTER_SIGNING: "Bị sửa nội dung sau khi ký",
    Scenario.UNTRUSTED_CERTIFICATE: "Chứng thư số không được tin cậy",
    Scenario.EXPIRED_CERTIFICATE: "Chứng thư số hết hạn, không có dấu thời gian",
    Scenario.TWO_SIGNATURES: "Hai chữ ký số hợp lệ",
    Scenario.CORRUPT_ATTACHMENT: "Tệp hỏng hoặc không phải PDF",
    Scenario.ANNOTATED_AFTER_SIGNING: "Thêm ghi chú sau khi ký",
    Scenario.UNSIGNED_NOT_REQUIRED: "Bản chụp không bắt buộc ký số",
}
_ACCEPTABLE = frozenset(
    {
        Scenario.ALL_GOOD,
        Scenario.TWO_SIGNATURES,
        Scenario.ANNOTATED_AFTER_SIGNING,
        Scenario.UNSIGNED_NOT_REQUIRED,
    }
)

# Every block of 30 dossiers holds exactly these (shuffled): each situation at least once,
# 40 % all good.
_BLOCK: tuple[Scenario, ...] = (
    *[Scenario.ALL_GOOD] * 12,
    *[Scenario.MISSING_COMPONENT] * 2,
    *[Scenario.UNSIGNED_COMPONENT] * 2,
    *[Scenario.SIGNER_MISMATCH] * 2,
    *[Scenario.MODIFIED_AFTER_SIGNING] * 2,
    *[Scenario.UNTRUSTED_CERTIFICATE] * 2,
    *[Scenario.EXPIRED_CERTIFICATE] * 2,
    *[Scenario.TWO_SIGNATURES] * 2,
    *[Scenario.CORRUPT_ATTACHMENT] * 2,
    Scenario.ANNOTATED_AFTER_SIGNING,
    Scenario.UNSIGNED_NOT_REQUIRED,
)


@dataclass(frozen=True)
class DemoDossier:
    """A generated dossier, its files, and what a trainer needs to know about it."""

    dossier: Dossier
    """Awaiting intake, version 1; attachments carry size and SHA-256."""
    files: Mapping[str, bytes]
    """Attachment remote id -> bytes."""
    scenario: Scenario
    expected_decision: DecisionKind
    guidance_vi: str
    """For trainers, in Vietnamese: what to look for and the right decision."""
    guidance_en: str
    """The same guidance in English (names, numbers and Vietnamese document names kept)."""
    problem_component: str | None
    """Spec code of the component the scenario is about: the faulty (or missing) one, or for
    acceptable scenarios the one to look at (two signatures, a note, an unsigned scan);
    ``None`` for :attr:`Scenario.ALL_GOOD`."""


@dataclass(frozen=True)
class Office:
    """The one-stop desk the demo dossiers are submitted to."""

    agency_code: str
    """Opens every dossier code: ``<agency_code>-<yymmdd>-<sequence>``."""
    procedure_suffix: str
    """Appended to national procedure codes: ``1.001193.<suffix>``."""
    name: str
    locality: Locality

    @property
    def unit(self) -> str:
        """The desk as an officer's unit: "Bộ phận Một cửa UBND phường Dịch Vọng"."""
        return f"Bộ phận Một cửa {self.name}"


DEFAULT_OFFICE = Office(
    # Codes of the shape VNPT iGate uses (DOMAIN.md); the numbers are the documented example,
    # not looked up for this locality.
    agency_code="000.00.53.H48",
    procedure_suffix="000.00.00.H48",
    name="UBND phường Dịch Vọng",
    locality=HOME_LOCALITIES[0],
)


def demo_pki(seed: int = DEMO_PKI_SEED) -> DemoPki:
    """The test-mode PKI: a DEMO national root, four provider CAs and a TSA.

    Its root and provider certificates are the same on any day until 2035 (fixed validity
    windows), so a root trusted once stays trusted; end-entity certificates it issues are
    valid relative to today. A new instance each call: a ``DemoPki`` counts what it issued.
    """
    return DemoPki.create(seed=seed)


@functools.cache
def demo_trust() -> TrustStore:
    """The trust store of test mode: the demo root (:func:`demo_pki`) as the only anchor."""
    return TrustStore.of([demo_pki().root_asn1()])


def default_now() -> datetime:
    """Today at 08:00 in Vietnam: the moment demo dossiers are generated "as of"."""
    return datetime.combine(vn_today(), time(8, 0), tzinfo=VN_TZ)


def generate_dossiers(
    count: int = 30,
    seed: int = 0,
    catalog: Sequence[Procedure] | None = None,
    *,
    now: datetime | None = None,
    office: Office = DEFAULT_OFFICE,
    workers: int | None = None,
) -> list[DemoDossier]:
    """Return ``count`` demo dossiers awaiting intake, as of ``now``.

    Each block of 30 (in list order, which is not submission order) holds every
    :class:`Scenario` at least once and 12 all-good dossiers. Procedures come from
    ``catalog`` (default: the shipped one), those with a required online component;
    situations a custom catalog cannot express (e.g. a missing component when every
    procedure has one required component) become all-good dossiers. Submissions spread over
    the working days before ``now`` (default :func:`default_now`), some after the 15:00
    cut-off, a few at night or on weekends.

    ``workers`` processes build the files (default: one below 100 dossiers, else one per
    CPU, at most 8); pass 1 to stay in this process. Signing needs a thread without a
    running asyncio loop. Raises ``ValueError`` for a negative count, a naive ``now`` or a
    catalog without any usable procedure.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    anchor = _anchor(now)
    if catalog is None:
        from intake_desktop.store.catalog import read_catalog

        catalog = read_catalog()[1]
    plans = _Planner(seed, _usable(catalog), anchor, office).plan(count)
    pool_size = _pool_size(workers, count)
    if pool_size <= 1:
        builder = _Builder(anchor)
        return [builder.build(plan) for plan in plans]
    # spawn, not fork: the caller may run threads (the app, a server), which fork copies badly.
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(25, len(plans) // (pool_size * 4)))
    with ProcessPoolExecutor(
        pool_size, mp_context=context, initializer=_init_worker, initargs=(anchor,)
    ) as pool:
        return list(pool.map(_build_in_worker, plans, chunksize=chunk))


def _anchor(now: datetime | None) -> datetime:
    if now is None:
        return default_now()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. tzinfo=ZoneInfo('Asia/Ho_Chi_Minh'))")
    return now.astimezone(VN_TZ).replace(microsecond=0)


def _pool_size(workers: int | None, count: int) -> int:
    if workers is not None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        return min(workers, max(count, 1))
    if count < _PARALLEL_FROM:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, _MAX_WORKERS))


def _usable(catalog: Sequence[Procedure]) -> list[Procedure]:
    usable = [
        p
        for p in catalog
        if any(s.online and s.required for s in p.components)
        and (not p.channels or any("tuyến" in c.lower() for c in p.channels))
    ]
    if not usable:
        raise ValueError("the catalog has no procedure with a required online component")
    return usable


# --- plans: what each dossier holds, cheap and sequential ----------------------------------

IdentityKind = Literal["citizen", "foreign_root", "self_signed"]
Damage = Literal["replace_text", "annotate", "truncate", "html", "jpeg"]
_CORRUPTIONS: tuple[Damage, ...] = ("truncate", "truncate", "html", "jpeg")


@dataclass(frozen=True)
class _Identity:
    """A certificate to issue (once per process): its plan is its cache key."""

    kind: IdentityKind
    name: str
    citizen_id: str
    provider: str
    key_type: KeyType
    not_before: datetime
    not_after: datetime
    province: str
    locality: str


@dataclass(frozen=True)
class _Signature:
    identity: _Identity
    signing_time: datetime
    visible: bool
    timestamped: bool


@dataclass(frozen=True)
class _Content:
    title: str
    fields: tuple[tuple[str, str], ...]
    body: str | None = None
    shared: bool = False
    """The same in every dossier: made once per process."""


@dataclass(frozen=True)
class _ComponentPlan:
    spec: ComponentSpec
    file_name: str
    remote_id: str
    content: _Content
    signatures: tuple[_Signature, ...]
    damage: Damage | None = None
    damage_text: tuple[str, ...] = ()
    keep: float = 0.6


@dataclass(frozen=True)
class _Bilingual:
    """One text in Vietnamese and in English, worded from the same facts."""

    vi: str
    en: str


@dataclass(frozen=True)
class _Plan:
    index: int
    scenario: Scenario
    procedure: Procedure
    procedure_code: str
    submitted_at: datetime
    applicant: Person
    components: tuple[_ComponentPlan, ...]
    guidance: _Bilingual
    problem_component: str | None
    code: str = ""


@dataclass
class _Story:
    """Who else a dossier is about, and facts the declaration states."""

    applicant: Person
    others: dict[str, Person] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)


_PROCEDURE_WEIGHTS = {
    "1.001193": 8.0,  # birth registration: the desk's daily bread
    "1.004873": 5.0,
    "2.000815": 4.0,
    "3.000333": 3.0,
    "1.000894": 2.5,
    "1.004222": 2.5,
    "1.000656": 2.0,
    "2.000908": 1.5,
}
_PROVIDER_WEIGHTS = {"VNPT": 35.0, "Viettel": 35.0, "FPT": 15.0, "Bkav": 15.0}
_HOSPITALS = (
    "Bệnh viện Phụ sản Hà Nội",
    "Bệnh viện Phụ sản Trung ương",
    "Bệnh viện Bạch Mai",
    "Bệnh viện Đa khoa Xanh Pôn",
    "Bệnh viện E",
)
_PLEDGE = (
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu hoàn toàn trách nhiệm "
    "trước pháp luật về lời cam đoan của mình."
)
_SHARED_NOTE = "Tài liệu mẫu (DEMO): nội dung giấy tờ gốc được lược bỏ trong chế độ thử nghiệm."


def _title(spec_name: str) -> str:
    """A document title from a component's name: "TỜ KHAI ĐĂNG KÝ KHAI SINH"."""
    text = spec_name
    for stop in ("(", ";", ":"):
        text = text.split(stop)[0]
    text = text.strip().rstrip(",.")
    for tail in (" theo mẫu", " theo quy định"):
        text = text.removesuffix(tail)
    words = text.split()
    while len(" ".join(words)) > 90:
        words.pop()
    return " ".join(words).upper()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _declaration_spec(procedure: Procedure) -> ComponentSpec | None:
    """The applicant's own declaration: the first required online component to be signed."""
    return next(
        (s for s in procedure.components if s.online and s.required and s.signature_required),
        None,
    )


def _fits(scenario: Scenario, procedure: Procedure) -> bool:
    online_required = [s for s in procedure.components if s.online and s.required]
    declaration = _declaration_spec(procedure)
    if scenario is Scenario.MISSING_COMPONENT:
        return len(online_required) >= 2 and any(s is not declaration for s in online_required)
    if scenario in (
        Scenario.UNSIGNED_COMPONENT,
        Scenario.SIGNER_MISMATCH,
        Scenario.MODIFIED_AFTER_SIGNING,
        Scenario.TWO_SIGNATURES,
        Scenario.ANNOTATED_AFTER_SIGNING,
    ):
        return declaration is not None
    if scenario is Scenario.UNSIGNED_NOT_REQUIRED:
        return any(not s.signature_required for s in online_required)
    return True


class _Planner:
    def __init__(
        self, seed: int, procedures: list[Procedure], anchor: datetime, office: Office
    ) -> None:
        self.seed = seed
        self.procedures = procedures
        self.anchor = anchor
        self.office = office
        self.calendar = OfficeCalendar()
        self.used_ids: set[str] = set()

    def plan(self, count: int) -> list[_Plan]:
        days = self._days(count)
        plans = [self._plan_one(index, days) for index in range(count)]
        return self._with_codes(plans)

    # -- when --

    def _days(self, count: int) -> tuple[list[date], list[date]]:
        """The working days to spread submissions over, and the other days among them."""
        wanted = max(4, math.ceil(count / _DOSSIERS_PER_DAY))
        working: list[date] = []
        other: list[date] = []
        day = self.anchor.date()
        while len(working) < wanted:
            day -= timedelta(days=1)
            (working if self.calendar.is_working_day(day) else other).append(day)
        return working, other

    def _submitted_at(self, rng: random.Random, days: tuple[list[date], list[date]]) -> datetime:
        working, other = days
        if other and rng.random() < 0.1:  # online services never close
            day = rng.choice(other)
            minute = rng.randint(8 * 60, 22 * 60)
        else:
            # Recent days more often: older dossiers were mostly handled already.
            day = rng.choices(working, [0.8**age for age in range(len(working))])[0]
            slot = rng.random()
            if slot < 0.7:
                minute = rng.randint(7 * 60 + 30, 15 * 60 - 1)
            elif slot < 0.9:
                minute = rng.randint(15 * 60, 17 * 60 + 30)  # after the cut-off
            else:
                minute = rng.randint(17 * 60 + 31, 22 * 60 + 30)
        return datetime.combine(
            day, time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=VN_TZ
        )

    def _with_codes(self, plans: list[_Plan]) -> list[_Plan]:
        """Dossier codes numbered per day in submission order, with gaps (other channels)."""
        numbers: dict[date, int] = {}
        codes: dict[int, str] = {}
        for plan in sorted(plans, key=lambda p: (p.submitted_at, p.index)):
            day = plan.submitted_at.date()
            if day not in numbers:
                numbers[day] = random.Random(f"sequence:{self.seed}:{day}").randint(0, 40)
            numbers[day] += random.Random(f"gap:{self.seed}:{plan.index}").randint(1, 3)
            codes[plan.index] = f"{self.office.agency_code}-{day:%y%m%d}-{numbers[day]:04d}"
        return [replace(plan, code=codes[plan.index]) for plan in plans]

    # -- what --

    def _scenario(self, index: int) -> Scenario:
        block = list(_BLOCK)
        random.Random(f"scenarios:{self.seed}:{index // len(_BLOCK)}").shuffle(block)
        return block[index % len(_BLOCK)]

    def _procedure(self, rng: random.Random, scenario: Scenario) -> Procedure | None:
        fitting = [p for p in self.procedures if _fits(scenario, p)]
        if not fitting:
            return None
        if scenario is Scenario.TWO_SIGNATURES:
            # Both parties sign a marriage declaration: the natural case of two signatures.
            marriage = [p for p in fitting if p.code == "1.000894"]
            if marriage and rng.random() < 0.7:
                return marriage[0]
        weights = [_PROCEDURE_WEIGHTS.get(p.code, 1.0) for p in fitting]
        return rng.choices(fitting, weights)[0]

    def _plan_one(self, index: int, days: tuple[list[date], list[date]]) -> _Plan:
        rng = random.Random(f"dossier:{self.seed}:{index}")
        scenario = self._scenario(index)
        procedure = self._procedure(rng, scenario)
        if procedure is None:
            log.info("no procedure in the catalog fits %s: dossier %d is all good", scenario, index)
            scenario = Scenario.ALL_GOOD
            procedure = self._procedure(rng, scenario)
            assert procedure is not None  # _usable() left at least one
        submitted_at = self._submitted_at(rng, days)
        story = self._story(rng, procedure)
        return _DossierDraft(self, rng, index, scenario, procedure, submitted_at, story).plan()

    def _story(self, rng: random.Random, procedure: Procedure) -> _Story:
        today = self.anchor.date()
        kind = _FORM_KINDS.get(procedure.code, "request")
        if kind == "birth":
            applicant = random_person(rng, today, used_ids=self.used_ids, min_age=20, max_age=45)
            story = _Story(applicant)
            spouse = story.others["spouse"] = self._spouse(rng, applicant)
            father = applicant if applicant.sex == "male" else spouse
            sex: Sex = "male" if rng.random() < 0.5 else "female"
            born = today - timedelta(days=rng.randint(3, 55))
            story.facts.update(
                child=child_name(rng, father.family_name, sex),
                child_sex="Nam" if sex == "male" else "Nữ",
                child_born=_d(born),
                relation="Cha" if applicant.sex == "male" else "Mẹ",
                hospital=rng.choice(_HOSPITALS),
            )
            return story
        if kind == "marriage":
            applicant = random_person(rng, today, used_ids=self.used_ids, min_age=20, max_age=40)
            story = _Story(applicant)
            story.others["spouse"] = self._spouse(rng, applicant, same_home=False)
            return story
        if kind == "death":
            applicant = random_person(rng, today, used_ids=self.used_ids, min_age=25, max_age=65)
            story = _Story(applicant)
            age = _age(applicant, today)
            deceased = random_person(
                rng,
                today,
                used_ids=self.used_ids,
                min_age=age + 20,
                max_age=min(age + 45, 100),
                family=applicant.family_name,
                locality=applicant.address.locality,
            )
            late = procedure.code == "1.005461"
            died = today - timedelta(days=rng.randint(800, 9000) if late else rng.randint(2, 14))
            story.others["deceased"] = deceased
            story.others["relative"] = self._spouse(rng, applicant)
            story.facts.update(
                relation=rng.choice(("Con", "Con", "Cháu")),
                died=_d(died),
                place=rng.choice(("Tại nhà riêng", "Bệnh viện Bạch Mai", "Bệnh viện E")),
                cause=rng.choice(("Bệnh già", "Bệnh lý", "Tai biến mạch máu não")),
            )
            return story
        applicant = random_person(rng, today, used_ids=self.used_ids)
        story = _Story(applicant)
        story.others["relative"] = self._spouse(rng, applicant)
        return story

    def _spouse(self, rng: random.Random, person: Person, *, same_home: bool = True) -> Person:
        age = _age(person, self.anchor.date())
        return random_person(
            rng,
            self.anchor.date(),
            used_ids=self.used_ids,
            sex="female" if person.sex == "male" else "male",
            min_age=max(18, age - 6),
            max_age=age + 6,
            locality=person.address.locality if same_home else None,
        )


def _age(person: Person, today: date) -> int:
    born = person.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


_FORM_KINDS = {
    "1.001193": "birth",
    "1.004772": "late_birth",
    "1.004873": "marital_status",
    "1.000894": "marriage",
    "1.000656": "death",
    "1.005461": "death",
    "3.000333": "criminal_record",
    "1.004222": "residence",
}


class _DossierDraft:
    """Plans one dossier's components, signatures and guidance for its scenario."""

    def __init__(
        self,
        planner: _Planner,
        rng: random.Random,
        index: int,
        scenario: Scenario,
        procedure: Procedure,
        submitted_at: datetime,
        story: _Story,
    ) -> None:
        self.planner = planner
        self.rng = rng
        self.index = index
        self.scenario = scenario
        self.procedure = procedure
        self.submitted_at = submitted_at
        self.story = story
        self.applicant = story.applicant
        self.declaration = _declaration_spec(procedure)
        self.provider = rng.choices(list(_PROVIDER_WEIGHTS), list(_PROVIDER_WEIGHTS.values()))[0]
        # Providers issue RSA keys too; they are slow to derive, so only a few here.
        self.key_type: KeyType = "rsa" if rng.random() < 0.02 else "ecdsa"
        self.timestamped = scenario not in (
            Scenario.EXPIRED_CERTIFICATE,
            Scenario.UNTRUSTED_CERTIFICATE,
        ) and (rng.random() < 0.4)
        # Files are signed one after another in the minutes before submission.
        self.clock = submitted_at - timedelta(minutes=rng.randint(4, 50))

    # -- identities --

    def _validity(self) -> tuple[datetime, datetime]:
        anchor = self.planner.anchor
        earliest = min(self.clock, anchor) - timedelta(days=self.rng.randint(30, 640))
        not_before = earliest.replace(second=0)
        years = self.rng.choice((1, 2, 2, 3))
        not_after = not_before + timedelta(days=365 * years)
        while not_after < anchor + timedelta(days=180):  # valid for a good while of training
            not_after += timedelta(days=365)
        return not_before, not_after

    def _identity(
        self,
        person: Person,
        *,
        kind: IdentityKind = "citizen",
        provider: str | None = None,
        window: tuple[datetime, datetime] | None = None,
    ) -> _Identity:
        not_before, not_after = window or self._validity()
        locality = person.address.locality
        return _Identity(
            kind=kind,
            name=person.name,
            citizen_id=person.citizen_id,
            provider=provider or self.provider,
            key_type=self.key_type,
            not_before=not_before,
            not_after=not_after,
            province=locality.province_name.upper(),
            locality=locality.district[:1].upper() + locality.district[1:],
        )

    def _applicant_identity(self) -> _Identity:
        if self.scenario is Scenario.UNTRUSTED_CERTIFICATE:
            kind: IdentityKind = "self_signed" if self.rng.random() < 0.4 else "foreign_root"
            return self._identity(self.applicant, kind=kind)
        if self.scenario is Scenario.EXPIRED_CERTIFICATE:
            anchor = self.planner.anchor
            if self.rng.random() < 0.7:
                # Expired between signing and the check: the classic case.
                span = (anchor - self.clock).total_seconds()
                not_after = self.clock + timedelta(seconds=int(span * self.rng.uniform(0.2, 0.8)))
            else:  # already expired when signing (a token the citizen kept using)
                not_after = self.clock - timedelta(days=self.rng.randint(2, 60))
            not_after = not_after.replace(microsecond=0)
            not_before = not_after - timedelta(days=365 * self.rng.choice((1, 2, 3)))
            return self._identity(self.applicant, window=(not_before, not_after))
        return self._identity(self.applicant)

    def _sign(self, identity: _Identity, *, visible: bool) -> _Signature:
        self.clock += timedelta(seconds=self.rng.randint(20, 150))
        return _Signature(identity, self.clock, visible, self.timestamped)

    # -- components --

    def plan(self) -> _Plan:
        applicant_identity = self._applicant_identity()
        specs = [s for s in self.procedure.components if s.online]
        chosen = [s for s in specs if s.required or self.rng.random() < _OPTIONAL_SHARE]
        problem = self._problem_spec(chosen)
        if self.scenario is Scenario.MISSING_COMPONENT:
            chosen = [s for s in chosen if s is not problem]
        components: list[_ComponentPlan] = []
        names: set[str] = set()
        for number, spec in enumerate(chosen):
            content = self._content(spec)
            file_name = _unique(slug(content.title) + ".pdf", names)
            remote_id = hashlib.sha256(
                f"attachment:{self.planner.seed}:{self.index}:{number}".encode()
            ).hexdigest()[:24]
            personal = not content.shared
            # Declarations get a visible stamp; scans mostly an invisible one (also cheaper).
            visible = personal or self.rng.random() < 0.25
            signatures: tuple[_Signature, ...] = (self._sign(applicant_identity, visible=visible),)
            plan = _ComponentPlan(spec, file_name, remote_id, content, signatures)
            if spec is problem:
                plan = self._with_problem(plan, applicant_identity)
            components.append(plan)
        return _Plan(
            index=self.index,
            scenario=self.scenario,
            procedure=self.procedure,
            procedure_code=f"{self.procedure.code}.{self.planner.office.procedure_suffix}",
            submitted_at=self.submitted_at,
            applicant=self.applicant,
            components=tuple(components),
            guidance=self._guidance(components, problem, applicant_identity),
            problem_component=problem.code if problem is not None else None,
        )

    def _problem_spec(self, chosen: list[ComponentSpec]) -> ComponentSpec | None:
        s = self.scenario
        if s is Scenario.ALL_GOOD:
            return None
        if s is Scenario.MISSING_COMPONENT:
            candidates = [c for c in chosen if c.required and c is not self.declaration]
            return self.rng.choice(candidates)
        if s is Scenario.UNSIGNED_NOT_REQUIRED:
            return self.rng.choice([c for c in chosen if c.required and not c.signature_required])
        if s is Scenario.CORRUPT_ATTACHMENT:
            scans = [c for c in chosen if not c.signature_required]
            if scans and self.rng.random() < 0.7:
                return self.rng.choice(scans)
        return self.declaration or chosen[0]

    def _with_problem(self, plan: _ComponentPlan, applicant: _Identity) -> _ComponentPlan:
        s = self.scenario
        rng = self.rng
        if s in (Scenario.UNSIGNED_COMPONENT, Scenario.UNSIGNED_NOT_REQUIRED):
            return replace(plan, signatures=())
        if s is Scenario.SIGNER_MISMATCH:
            other = self.story.others.get("spouse") or self.story.others["relative"]
            provider = rng.choice(list(PROVIDERS))
            signature = self._sign(self._identity(other, provider=provider), visible=True)
            return replace(plan, signatures=(signature,))
        if s is Scenario.TWO_SIGNATURES:
            other = self.story.others.get("spouse") or self.story.others["relative"]
            provider = rng.choice(list(PROVIDERS))
            second = self._sign(self._identity(other, provider=provider), visible=True)
            return replace(plan, signatures=(*plan.signatures, second))
        if s is Scenario.MODIFIED_AFTER_SIGNING:
            old = self.applicant.citizen_id
            new = old
            while new == old:
                new = old[:6] + f"{rng.randrange(10**6):06d}"
            return replace(plan, damage="replace_text", damage_text=(old, new))
        if s is Scenario.ANNOTATED_AFTER_SIGNING:
            note = rng.choice(
                (
                    "Đã kiểm tra lại thông tin.",
                    "Xin cán bộ xem giúp, tôi đã ký rồi.",
                    "Bản này đúng với bản gốc.",
                )
            )
            return replace(plan, damage="annotate", damage_text=(note,))
        if s is Scenario.CORRUPT_ATTACHMENT:
            damage = rng.choice(_CORRUPTIONS)
            return replace(plan, damage=damage, keep=round(rng.uniform(0.3, 0.8), 2))
        return plan  # untrusted / expired: every signature already uses the bad certificate

    # -- contents --

    def _content(self, spec: ComponentSpec) -> _Content:
        title = _title(spec.name)
        if not spec.signature_required:
            form = (
                "Bản chính (bản chụp điện tử)" if spec.copy_kind is CopyKind.ORIGINAL else "Bản sao"
            )
            return _Content(
                title,
                (("Thành phần hồ sơ", spec.name), ("Hình thức", form), ("Ghi chú", _SHARED_NOTE)),
                shared=True,
            )
        if spec is self.declaration:
            kind = _FORM_KINDS.get(self.procedure.code, "request")
            return _Content(title, self._declaration_fields(kind), _PLEDGE)
        # Another statement the applicant writes and signs (cam đoan, a second declaration).
        body = f"Nội dung: {spec.name}. {_PLEDGE}"
        return _Content(title, self._head(), body)

    def _authority(self) -> str:
        loc = self.planner.office.locality
        code = self.procedure.code
        if code == "3.000333":
            return f"Công an {loc.province}"
        if code == "1.004222":
            return f"Công an {loc.ward}, {loc.district}, {loc.province}"
        return f"Ủy ban nhân dân {loc.ward}, {loc.district}, {loc.province}"

    def _head(self) -> tuple[tuple[str, str], ...]:
        a = self.applicant
        return (
            ("Kính gửi", self._authority()),
            ("Họ, chữ đệm, tên người yêu cầu", a.name),
            ("Số định danh cá nhân", a.citizen_id),
            ("Nơi cư trú", a.address.line),
            ("Số điện thoại", a.phone),
        )

    def _declaration_fields(self, kind: str) -> tuple[tuple[str, str], ...]:
        a = self.applicant
        facts = self.story.facts
        rng = self.rng
        head = self._head()
        if kind == "birth":
            return (
                *head,
                ("Quan hệ với người được khai sinh", facts["relation"]),
                ("Họ, chữ đệm, tên người được khai sinh", facts["child"]),
                ("Ngày, tháng, năm sinh", facts["child_born"]),
                ("Giới tính", facts["child_sex"]),
                ("Dân tộc", "Kinh"),
                ("Quốc tịch", "Việt Nam"),
                ("Nơi sinh", f"{facts['hospital']}, thành phố Hà Nội"),
            )
        if kind == "late_birth":
            return (
                *head,
                ("Quan hệ với người được khai sinh", "Bản thân"),
                ("Ngày, tháng, năm sinh", _d(a.birth_date)),
                ("Giới tính", "Nam" if a.sex == "male" else "Nữ"),
                ("Nơi sinh", PROVINCE_CODES[a.citizen_id[:3]]),
                ("Dân tộc", "Kinh"),
                ("Quốc tịch", "Việt Nam"),
            )
        if kind == "marital_status":
            purpose = rng.choice(
                ("Đăng ký kết hôn", "Bổ sung hồ sơ vay vốn ngân hàng", "Giao dịch mua bán nhà đất")
            )
            return (
                *head,
                ("Ngày, tháng, năm sinh", _d(a.birth_date)),
                ("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai"),
                ("Mục đích sử dụng", purpose),
            )
        if kind == "marriage":
            spouse = self.story.others["spouse"]
            man, woman = (a, spouse) if a.sex == "male" else (spouse, a)
            return (
                ("Kính gửi", self._authority()),
                ("Họ, chữ đệm, tên bên nữ", woman.name),
                ("Ngày, tháng, năm sinh bên nữ", _d(woman.birth_date)),
                ("Số định danh cá nhân bên nữ", woman.citizen_id),
                ("Nơi cư trú bên nữ", woman.address.line),
                ("Họ, chữ đệm, tên bên nam", man.name),
                ("Ngày, tháng, năm sinh bên nam", _d(man.birth_date)),
                ("Số định danh cá nhân bên nam", man.citizen_id),
                ("Nơi cư trú bên nam", man.address.line),
                ("Kết hôn lần thứ mấy", "Lần thứ nhất"),
            )
        if kind == "death":
            deceased = self.story.others["deceased"]
            return (
                *head,
                ("Quan hệ với người đã chết", facts["relation"]),
                ("Họ, chữ đệm, tên người đã chết", deceased.name),
                ("Ngày, tháng, năm sinh", _d(deceased.birth_date)),
                ("Số định danh cá nhân người đã chết", deceased.citizen_id),
                ("Đã chết vào ngày", facts["died"]),
                ("Nơi chết", facts["place"]),
                ("Nguyên nhân chết", facts["cause"]),
            )
        if kind == "criminal_record":
            purpose = rng.choice(("Bổ sung hồ sơ xin việc", "Du học", "Đi làm việc ở nước ngoài"))
            return (
                *head,
                ("Giới tính", "Nam" if a.sex == "male" else "Nữ"),
                ("Ngày, tháng, năm sinh", _d(a.birth_date)),
                ("Nơi sinh", PROVINCE_CODES[a.citizen_id[:3]]),
                ("Quốc tịch", "Việt Nam"),
                ("Yêu cầu cấp", rng.choice(("Phiếu lý lịch tư pháp số 1", "Phiếu số 2"))),
                ("Mục đích sử dụng Phiếu", purpose),
                ("Số lượng Phiếu", "01"),
            )
        if kind == "residence":
            home = HOME_LOCALITIES[rng.randrange(len(HOME_LOCALITIES))]
            return (
                *head,
                ("Nội dung đề nghị", f"Đăng ký thường trú tại {home.ward}, {home.district}"),
                ("Họ, chữ đệm, tên chủ hộ", a.name),
                ("Quan hệ với chủ hộ", "Chủ hộ"),
            )
        return (*head, ("Nội dung yêu cầu", self.procedure.name))

    # -- guidance --

    def _guidance(
        self,
        components: list[_ComponentPlan],
        problem: ComponentSpec | None,
        identity: _Identity,
    ) -> _Bilingual:
        # The facts are gathered once; each branch only words them in both languages.
        a = self.applicant
        who = _Bilingual(f"{a.name} (CCCD {a.citizen_id})", f"{a.name} (citizen ID {a.citizen_id})")
        ca = PROVIDERS[identity.provider].common_name
        processing = _processing(self.procedure)
        accept = _Bilingual(
            f"Quyết định đúng: tiếp nhận hồ sơ và hẹn ngày trả kết quả ({processing.vi}).",
            f"Right decision: accept the dossier and set the appointment date ({processing.en}).",
        )
        supplement = _Bilingual(
            "Quyết định đúng: yêu cầu bổ sung, hoàn thiện hồ sơ",
            "Right decision: request a supplement",
        )
        plan = next((c for c in components if problem is not None and c.spec is problem), None)
        name = problem.name if problem is not None else ""
        file = plan.file_name if plan is not None else ""
        s = self.scenario
        if s is Scenario.ALL_GOOD:
            return _Bilingual(
                "Hồ sơ đủ các thành phần bắt buộc; mọi tệp đều được chủ hồ sơ "
                f"{who.vi} ký số bằng chứng thư số còn hiệu lực do {ca} cấp. {accept.vi}",
                "The dossier has every required component; every file is digitally signed by "
                f"the applicant {who.en} with a valid certificate issued by {ca}. {accept.en}",
            )
        if s is Scenario.MISSING_COMPONENT:
            return _Bilingual(
                f"Thiếu thành phần bắt buộc «{name}». Các tệp đã nộp đều có chữ ký số hợp lệ "
                f"của chủ hồ sơ, nhưng hồ sơ chưa đủ. {supplement.vi}, nêu rõ thành phần còn "
                "thiếu.",
                f"The required component «{name}» is missing. The files submitted all carry "
                "the applicant's valid digital signature, but the dossier is incomplete. "
                f"{supplement.en}, naming the missing component.",
            )
        if s is Scenario.UNSIGNED_COMPONENT:
            return _Bilingual(
                f"Thành phần «{name}» phải được ký số nhưng tệp {file} chưa có chữ ký số "
                f"(kết quả kiểm tra: chưa ký). {supplement.vi}: đề nghị chủ hồ sơ ký số tệp này "
                "và nộp lại.",
                f"The component «{name}» must be digitally signed, but the file {file} has no "
                f"digital signature (check result: unsigned). {supplement.en}: ask the "
                "applicant to sign this file digitally and submit it again.",
            )
        if s is Scenario.SIGNER_MISMATCH:
            assert plan is not None
            signer = plan.signatures[0].identity
            return _Bilingual(
                f"Tệp {file} («{name}») có chữ ký số hợp lệ, nhưng người ký là "
                f"{signer.name} (CCCD {signer.citizen_id}), không phải chủ hồ sơ {who.vi}. "
                "Đối chiếu số CCCD trong chứng thư số với thông tin chủ hồ sơ. "
                f"{supplement.vi}: chủ hồ sơ phải tự ký số thành phần này.",
                f"The file {file} («{name}») has a valid digital signature, but the signer is "
                f"{signer.name} (citizen ID {signer.citizen_id}), not the applicant {who.en}. "
                "Compare the citizen ID number in the certificate with the applicant's details. "
                f"{supplement.en}: the applicant must sign this component digitally themselves.",
            )
        if s is Scenario.MODIFIED_AFTER_SIGNING:
            assert plan is not None
            old, new = plan.damage_text
            return _Bilingual(
                f"Tệp {file} bị sửa sau khi ký: bản hiện tại ghi số định danh {new}, bản đã ký "
                f"ghi {old}. Chữ ký số không hợp lệ vì nội dung bị thay đổi sau khi ký; mở "
                f"«bản đã ký» để so sánh. {supplement.vi}: nộp lại tệp đúng nội dung và ký số "
                "lại; nếu nghi ngờ giả mạo giấy tờ, báo cáo lãnh đạo.",
                f"The file {file} was modified after signing: the current version shows the "
                f"citizen ID number {new}, the signed revision shows {old}. The digital "
                "signature is invalid because the content changed after signing; open the "
                f"signed revision (“View signed revision”) to compare. {supplement.en}: the "
                "file must be submitted again with the right content and signed again; if you "
                "suspect forged documents, report it to your head of office.",
            )
        if s is Scenario.UNTRUSTED_CERTIFICATE:
            if identity.kind == "self_signed":
                why = _Bilingual(
                    "chứng thư số tự ký (tự tạo, không do tổ chức cung cấp dịch vụ chứng thực "
                    "chữ ký số cấp)",
                    "a self-signed certificate (made by the signer, not issued by a "
                    "certificate provider)",
                )
            else:
                why = _Bilingual(
                    f"chứng thư số mang tên «{ca}» nhưng không thuộc Root CA quốc gia được tin "
                    "cậy (chuỗi chứng thư dẫn tới «DEMO Untrusted Root CA»)",
                    f"a certificate naming «{ca}» that does not lead to a trusted national root "
                    "CA (its chain leads to «DEMO Untrusted Root CA»)",
                )
            return _Bilingual(
                f"Các tệp được ký bằng {why.vi}. Kết quả kiểm tra: chưa xác định được. "
                f"{supplement.vi}: ký lại bằng chứng thư số do tổ chức được cấp phép cung cấp.",
                f"The files are signed with {why.en}. Check result: indeterminate. "
                f"{supplement.en}: sign again with a certificate from a licensed certificate "
                "provider.",
            )
        if s is Scenario.EXPIRED_CERTIFICATE:
            expired = _d(identity.not_after.astimezone(VN_TZ).date())
            return _Bilingual(
                f"Chứng thư số của chủ hồ sơ do {ca} cấp đã hết hạn ngày {expired} "
                "và chữ ký không có dấu thời gian, nên không chứng minh được chữ ký được tạo "
                "khi chứng thư còn hiệu lực. Kết quả kiểm tra: chưa xác định được. "
                f"{supplement.vi}: ký lại bằng chứng thư số còn hiệu lực.",
                f"The applicant's certificate issued by {ca} expired on {expired} and the "
                "signature has no timestamp, so nothing proves the signature was made while "
                "the certificate was valid. Check result: indeterminate. "
                f"{supplement.en}: sign again with a valid certificate.",
            )
        if s is Scenario.TWO_SIGNATURES:
            assert plan is not None
            second = plan.signatures[1].identity
            return _Bilingual(
                f"Tệp {file} có hai chữ ký số hợp lệ: của chủ hồ sơ {who.vi} và của "
                f"{second.name} (CCCD {second.citizen_id}). Chữ ký sau chỉ thêm chữ ký, không "
                f"làm mất hiệu lực chữ ký trước. {accept.vi}",
                f"The file {file} carries two valid digital signatures: the applicant's, "
                f"{who.en}, and that of {second.name} (citizen ID {second.citizen_id}). The "
                "later signature only adds a signature; it does not invalidate the first. "
                f"{accept.en}",
            )
        if s is Scenario.CORRUPT_ATTACHMENT:
            assert plan is not None
            what = {
                "truncate": _Bilingual(
                    "bị cắt cụt khi tải lên nên không đọc được",
                    "was cut short during upload and cannot be read",
                ),
                "html": _Bilingual(
                    "không phải PDF mà là trang web báo hết phiên đăng nhập, bị lưu nhầm",
                    "is not a PDF but a web page saying the login session expired, saved by "
                    "mistake",
                ),
                "jpeg": _Bilingual(
                    "thực chất là ảnh chụp (JPEG) đặt tên .pdf, không phải tệp PDF đã ký",
                    "is really a photo (JPEG) named .pdf, not a signed PDF file",
                ),
            }[str(plan.damage)]
            return _Bilingual(
                f"Tệp {file} («{name}») {what.vi}. Kết quả kiểm tra: không đọc được. "
                f"{supplement.vi}: nộp lại tệp PDF đã ký số.",
                f"The file {file} («{name}») {what.en}. Check result: unreadable. "
                f"{supplement.en}: the digitally signed PDF file must be submitted again.",
            )
        if s is Scenario.ANNOTATED_AFTER_SIGNING:
            assert plan is not None
            note = plan.damage_text[0]
            return _Bilingual(
                f"Sau khi ký, tệp {file} được thêm một ghi chú «{note}». Nội dung "
                "đã ký không đổi: chữ ký hợp lệ, có lưu ý; mở «bản đã ký» để đối chiếu. "
                f"{accept.vi}",
                f"After signing, a note «{note}» was added to the file {file}. The signed "
                "content is unchanged: the signature is valid with warnings; open the signed "
                f"revision (“View signed revision”) to compare. {accept.en}",
            )
        # UNSIGNED_NOT_REQUIRED
        return _Bilingual(
            f"Tệp {file} («{name}») là bản chụp chưa ký số; thủ tục không yêu cầu ký số thành "
            "phần này nên đó không phải lý do trả hồ sơ. Các thành phần phải ký đều có chữ ký "
            f"hợp lệ của chủ hồ sơ {who.vi}. {accept.vi}",
            f"The file {file} («{name}») is an unsigned scan; the procedure does not require "
            "this component to be digitally signed, so it is no reason to return the dossier. "
            "Every component that must be signed carries the valid signature of the applicant "
            f"{who.en}. {accept.en}",
        )


def _processing(procedure: Procedure) -> _Bilingual:
    days = procedure.processing_days
    if days == 0:
        return _Bilingual("thời hạn giải quyết: trong ngày", "processing time: the same day")
    if procedure.processing_calendar_days:
        unit = _Bilingual("ngày", "day" if days == 1 else "days")
    else:
        unit = _Bilingual("ngày làm việc", "working day" if days == 1 else "working days")
    return _Bilingual(
        f"thời hạn giải quyết: {days} {unit.vi}", f"processing time: {days} {unit.en}"
    )


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


# --- build: the files, from a plan alone ----------------------------------------------------


class _Builder:
    """Makes the files of planned dossiers; keeps what can be reused within a process."""

    def __init__(self, anchor: datetime) -> None:
        self.pki = DemoPki.create(seed=DEMO_PKI_SEED, now=anchor)
        self._untrusted: DemoPki | None = None
        self._identities: dict[_Identity, SignerIdentity] = {}
        self._shared: dict[_Content, bytes] = {}

    @property
    def untrusted(self) -> DemoPki:
        if self._untrusted is None:
            self._untrusted = DemoPki.untrusted(seed=DEMO_PKI_SEED, now=self.pki.now)
        return self._untrusted

    def identity(self, plan: _Identity) -> SignerIdentity:
        # Issued once per process, so DemoPki's issue counter is always 1 for it: the same
        # certificate in any process, whatever else was issued before.
        found = self._identities.get(plan)
        if found is not None:
            return found
        if plan.kind == "self_signed":
            identity = self.pki.issue_self_signed(
                plan.name, plan.citizen_id, key_type=plan.key_type
            )
        else:
            pki = self.untrusted if plan.kind == "foreign_root" else self.pki
            identity = pki.issue_citizen(
                plan.name,
                plan.citizen_id,
                provider=plan.provider,
                key_type=plan.key_type,
                not_before=plan.not_before,
                not_after=plan.not_after,
                province=plan.province,
                locality=plan.locality,
            )
        self._identities[plan] = identity
        return identity

    def content(self, content: _Content) -> bytes:
        if content.shared and content in self._shared:
            return self._shared[content]
        data = make_form_pdf(content.title, content.fields, body=content.body)
        if content.shared:
            self._shared[content] = data
        return data

    def file(self, plan: _ComponentPlan) -> bytes:
        data = self.content(plan.content)
        for signature in plan.signatures:
            identity = self.identity(signature.identity)
            timestamper = (
                self.pki.timestamper(signature.signing_time) if signature.timestamped else None
            )
            data = sign_pdf(
                data,
                identity,
                visible=signature.visible,
                signing_time=signature.signing_time,
                timestamper=timestamper,
                bytes_reserved=signature_space(identity, timestamped=signature.timestamped),
            )
        if plan.damage == "replace_text":
            old, new = plan.damage_text
            data = tamper.incremental_replace_text(data, old, new)
        elif plan.damage == "annotate":
            data = tamper.add_annotation(data, plan.damage_text[0])
        elif plan.damage == "truncate":
            data = tamper.truncate(data, plan.keep)
        elif plan.damage == "html":
            data = tamper.not_a_pdf("html")
        elif plan.damage == "jpeg":
            data = tamper.not_a_pdf("jpeg")
        return data

    def build(self, plan: _Plan) -> DemoDossier:
        files: dict[str, bytes] = {}
        components: list[Component] = []
        for item in plan.components:
            data = self.file(item)
            files[item.remote_id] = data
            attachment = Attachment(
                remote_id=item.remote_id,
                file_name=item.file_name,
                media_type=PDF,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            components.append(
                Component(item.spec.code, item.spec.name, item.spec.copy_kind, (attachment,))
            )
        person = plan.applicant
        dossier = Dossier(
            code=plan.code,
            procedure_code=plan.procedure_code,
            submitted_at=plan.submitted_at,
            status=DossierStatus.AWAITING_INTAKE,
            version=1,
            applicant=Applicant(
                name=person.name,
                citizen_id=person.citizen_id,
                birth_date=person.birth_date,
                phone=person.phone,
                email=person.email,
                address=person.address.line,
            ),
            components=tuple(components),
            procedure_name=plan.procedure.name,
        )
        return DemoDossier(
            dossier=dossier,
            files=files,
            scenario=plan.scenario,
            expected_decision=plan.scenario.expected_decision,
            guidance_vi=plan.guidance.vi,
            guidance_en=plan.guidance.en,
            problem_component=plan.problem_component,
        )


_worker: _Builder | None = None


def _init_worker(anchor: datetime) -> None:
    global _worker
    _worker = _Builder(anchor)


def _build_in_worker(plan: _Plan) -> DemoDossier:
    if _worker is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker not initialised")
    return _worker.build(plan)
