"""The scenario library: what each demo situation teaches, for trainers in guidance mode.

The short Vietnamese name and the right decision come from :class:`Scenario` itself; the
longer description (what to look for, which component, why) from
``resources/training/scenarios.json``; a dossier's own guidance (names, files, numbers) from
the :class:`DemoDossier` that was generated or imported. Nothing is worded twice.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from intake_desktop.demo.dossiers import DemoDossier, Scenario
from intake_desktop.domain import DecisionKind
from intake_desktop.paths import resource

LIBRARY_FORMAT = 1


class ScenarioLibraryError(Exception):
    """The scenario descriptions file is missing, damaged or does not cover every scenario."""


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """A trainer's description of one demo situation."""

    scenario: Scenario
    label_vi: str
    label_en: str
    look_for_vi: str
    look_for_en: str
    component_vi: str
    """Which component to look at."""
    component_en: str
    why_vi: str
    """Why the right decision is right."""
    why_en: str

    @property
    def expected_decision(self) -> DecisionKind:
        return self.scenario.expected_decision


@dataclass(frozen=True, slots=True)
class TrainingCase:
    """One dossier of test mode as a trainer sees it: its situation and right answer."""

    dossier_code: str
    scenario: ScenarioInfo
    expected_decision: DecisionKind
    """The dossier's own right decision (a trainer's pack may differ from the scenario's)."""
    guidance_vi: str
    """This dossier's guidance: names, files and numbers of this very case."""
    guidance_en: str
    """``guidance_vi`` for the English UI (the Vietnamese text when a pack has none)."""
    problem_component: str | None
    """Spec code of the component the case is about (``None``: every component)."""


_TEXT_FIELDS = (
    "label_en",
    "look_for_vi",
    "look_for_en",
    "component_vi",
    "component_en",
    "why_vi",
    "why_en",
)


def load_library(path: Path | None = None) -> dict[Scenario, ScenarioInfo]:
    """Read the descriptions (default: the shipped file), one per :class:`Scenario`.

    Raises :class:`ScenarioLibraryError` when the file is unreadable, has another format,
    lacks a scenario or a text, or names a scenario the app does not know.
    """
    path = path or resource("training", "scenarios.json")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ScenarioLibraryError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format_version") != LIBRARY_FORMAT:
        raise ScenarioLibraryError(f"{path}: format_version must be {LIBRARY_FORMAT}")
    entries = document.get("scenarios")
    if not isinstance(entries, dict):
        raise ScenarioLibraryError(f"{path}: 'scenarios' must be an object")
    unknown = sorted(set(entries) - {s.value for s in Scenario})
    if unknown:
        raise ScenarioLibraryError(f"{path}: unknown scenarios {', '.join(unknown)}")
    library: dict[Scenario, ScenarioInfo] = {}
    for scenario in Scenario:
        entry = entries.get(scenario.value)
        if not isinstance(entry, dict):
            raise ScenarioLibraryError(f"{path}: no description of {scenario.value}")
        texts: dict[str, str] = {}
        for name in _TEXT_FIELDS:
            value = entry.get(name)
            if not isinstance(value, str) or not value.strip():
                raise ScenarioLibraryError(f"{path}: {scenario.value}.{name} must be text")
            texts[name] = value
        library[scenario] = ScenarioInfo(scenario=scenario, label_vi=scenario.label_vi, **texts)
    return library


@functools.cache
def shipped_library() -> Mapping[Scenario, ScenarioInfo]:
    """The shipped descriptions, read once."""
    return load_library()


class ScenarioLibrary:
    """Dossier code -> :class:`TrainingCase`, for the dossiers test mode serves."""

    def __init__(
        self,
        demos: Iterable[DemoDossier],
        descriptions: Mapping[Scenario, ScenarioInfo] | None = None,
    ) -> None:
        described = descriptions if descriptions is not None else shipped_library()
        self._cases = {
            demo.dossier.code: TrainingCase(
                dossier_code=demo.dossier.code,
                scenario=described[demo.scenario],
                expected_decision=demo.expected_decision,
                guidance_vi=demo.guidance_vi,
                guidance_en=demo.guidance_en,
                problem_component=demo.problem_component,
            )
            for demo in demos
        }

    def case(self, dossier_code: str) -> TrainingCase | None:
        """The case behind a dossier, or ``None`` for one test mode did not make."""
        return self._cases.get(dossier_code)

    def cases(self) -> list[TrainingCase]:
        return [self._cases[code] for code in sorted(self._cases)]

    def __len__(self) -> int:
        return len(self._cases)
