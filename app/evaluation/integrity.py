"""The review-only integrity score (0–10) and the flags a human reviewer reads.

The browser records three signals per answer (SPEC §3): characters pasted, tab switches, and time
spent. They inform a reviewer and never change a score or the recommendation — pasting your own
notes or switching tabs to check a word is not cheating, so nothing here is a verdict.

Formula, per answered question with a non-blank answer of ``L`` characters:

* paste share ``P = min(1, paste_chars / L)``, counted only when at least 30 characters were
  pasted (a pasted word or URL is ordinary);
* tab switching ``T = min(0.5, 0.1 × tab_switches)``;
* implausible speed ``S = 0.5`` when the typed (not pasted) part, at least 100 characters, came in
  faster than 10 characters per second of ``time_spent_ms`` (about 120 words a minute of
  composed prose, sustained), else 0; no time recorded means no speed signal.

The answer's risk is ``r = min(1, P + T + S)`` and the integrity score is
``round(10 × (1 − mean r), 1)`` over those answers; with no signals at all it is 10.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

from app.i18n import N_, translate

MIN_PASTE_CHARS = 30
TAB_WEIGHT, TAB_CAP = 0.1, 0.5
SPEED_LIMIT_CPS, SPEED_MIN_CHARS, SPEED_WEIGHT = 10.0, 100, 0.5

FlagKind = Literal["pasted", "tabs", "too_fast"]

# A flag is stored as data (`Flag.as_stored()`) and worded only when shown, in the reader's
# language: the candidate's report in the session's language, the recruiter's in English.
LABEL, FOLLOW_UP_LABEL = N_("Question {n}"), N_("Question {n} (follow-up)")
WORDING: dict[str, str] = {
    # The share carries its own "%": a msgid with "{value}% of" reads to gettext tools as a "% o"
    # printf placeholder that the translation would have to repeat.
    "pasted": N_("{label}: {share} of the answer was pasted."),
    "tabs": N_("{label}: {value} tab {noun} while answering."),
    "too_fast": N_("{label}: typed at {value} characters per second (implausibly fast)."),
}


class Signalled(Protocol):
    """What the integrity check reads of a question: a stored `Question` row satisfies it."""

    @property
    def position(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def answer_text(self) -> str | None: ...
    @property
    def time_spent_ms(self) -> int | None: ...
    @property
    def paste_chars(self) -> int | None: ...
    @property
    def tab_switches(self) -> int | None: ...


@dataclass(frozen=True)
class Flag:
    """One review-only signal: its kind, the question's position, whether that question is a
    follow-up, and the number behind it (percent pasted, tab switches, characters per second)."""

    kind: FlagKind
    question: int
    follow_up: bool
    value: int

    def as_stored(self) -> dict[str, Any]:
        """The JSON form kept in `reports.integrity_flags`."""
        return asdict(self)


@dataclass(frozen=True)
class IntegrityResult:
    """The 0–10 score and the flags behind it."""

    score: float
    flags: list[Flag]


def _flag(question: Signalled, kind: FlagKind, value: int) -> Flag:
    return Flag(kind, question.position, question.parent_id is not None, value)


def paste_risk(question: Signalled, length: int) -> tuple[float, Flag | None]:
    """P and its flag."""
    pasted = max(0, question.paste_chars or 0)
    if pasted < MIN_PASTE_CHARS:
        return 0.0, None
    share = min(1.0, pasted / length)
    return share, _flag(question, "pasted", round(share * 100))


def tab_risk(question: Signalled) -> tuple[float, Flag | None]:
    """T and its flag."""
    switches = max(0, question.tab_switches or 0)
    if switches == 0:
        return 0.0, None
    return min(TAB_CAP, TAB_WEIGHT * switches), _flag(question, "tabs", switches)


def speed_risk(question: Signalled, length: int) -> tuple[float, Flag | None]:
    """S and its flag."""
    millis = question.time_spent_ms or 0
    typed = length - min(length, max(0, question.paste_chars or 0))
    if millis <= 0 or typed < SPEED_MIN_CHARS:
        return 0.0, None
    per_second = typed / (millis / 1000)
    if per_second <= SPEED_LIMIT_CPS:
        return 0.0, None
    return SPEED_WEIGHT, _flag(question, "too_fast", round(per_second))


def integrity(questions: Iterable[Signalled]) -> IntegrityResult:
    """Score and flags for a session's answered questions (see the module docstring)."""
    risks: list[float] = []
    flags: list[Flag] = []
    for question in questions:
        length = len((question.answer_text or "").strip())
        if length == 0:
            continue
        parts = [paste_risk(question, length), tab_risk(question), speed_risk(question, length)]
        risks.append(min(1.0, sum(risk for risk, _ in parts)))
        flags.extend(flag for _, flag in parts if flag)
    if not risks:
        return IntegrityResult(10.0, [])
    return IntegrityResult(round(10 * (1 - sum(risks) / len(risks)), 1), flags)


def flag_text(flag: Mapping[str, Any] | str, language: str) -> str:
    """A stored flag worded in `language`; text of any other shape is shown as stored."""
    if isinstance(flag, str) or flag.get("kind") not in WORDING:
        return str(flag)
    label = translate(
        FOLLOW_UP_LABEL if flag.get("follow_up") else LABEL, language, n=flag.get("question")
    )
    value = flag.get("value")
    noun = "switch" if value == 1 else "switches"
    wording, share = WORDING[str(flag["kind"])], f"{value}%"
    return translate(wording, language, label=label, value=value, share=share, noun=noun)
