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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from app.i18n import translate

MIN_PASTE_CHARS = 30
TAB_WEIGHT, TAB_CAP = 0.1, 0.5
SPEED_LIMIT_CPS, SPEED_MIN_CHARS, SPEED_WEIGHT = 10.0, 100, 0.5

# Flags are stored in English (the recruiter's report shows them as stored). The same templates
# write them and read them back, so a Chinese candidate's report can show them in Chinese.
LABEL, FOLLOW_UP_LABEL = "Question {n}", "Question {n} (follow-up)"
PASTED = "{label}: {percent}% of the answer was pasted."
TABS = "{label}: {count} tab {noun} while answering."
TOO_FAST = "{label}: typed at {rate} characters per second (implausibly fast)."
FIELDS = {
    "{label}": r"Question (?P<n>\d+)(?P<follow_up> \(follow-up\))?",
    "{percent}": r"(?P<percent>\d+)",
    "{count}": r"(?P<count>\d+)",
    "{noun}": r"(?P<noun>switch|switches)",
    "{rate}": r"(?P<rate>\d+)",
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
class IntegrityResult:
    """The 0–10 score and the human-readable flags behind it."""

    score: float
    flags: list[str]


def _label(question: Signalled) -> str:
    template = FOLLOW_UP_LABEL if question.parent_id is not None else LABEL
    return template.format(n=question.position)


def paste_risk(question: Signalled, length: int) -> tuple[float, str | None]:
    """P and its flag."""
    pasted = max(0, question.paste_chars or 0)
    if pasted < MIN_PASTE_CHARS:
        return 0.0, None
    share = min(1.0, pasted / length)
    return share, PASTED.format(label=_label(question), percent=round(share * 100))


def tab_risk(question: Signalled) -> tuple[float, str | None]:
    """T and its flag."""
    switches = max(0, question.tab_switches or 0)
    if switches == 0:
        return 0.0, None
    noun = "switch" if switches == 1 else "switches"
    flag = TABS.format(label=_label(question), count=switches, noun=noun)
    return min(TAB_CAP, TAB_WEIGHT * switches), flag


def speed_risk(question: Signalled, length: int) -> tuple[float, str | None]:
    """S and its flag."""
    millis = question.time_spent_ms or 0
    typed = length - min(length, max(0, question.paste_chars or 0))
    if millis <= 0 or typed < SPEED_MIN_CHARS:
        return 0.0, None
    per_second = typed / (millis / 1000)
    if per_second <= SPEED_LIMIT_CPS:
        return 0.0, None
    flag = TOO_FAST.format(label=_label(question), rate=f"{per_second:.0f}")
    return SPEED_WEIGHT, flag


def integrity(questions: Iterable[Signalled]) -> IntegrityResult:
    """Score and flags for a session's answered questions (see the module docstring)."""
    risks: list[float] = []
    flags: list[str] = []
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


def _reader(template: str) -> re.Pattern[str]:
    """A pattern matching exactly the flags `template` writes, capturing their values."""
    pattern = re.escape(template)
    for field, group in FIELDS.items():
        pattern = pattern.replace(re.escape(field), group)
    return re.compile(pattern)


READERS = [(template, _reader(template)) for template in (PASTED, TABS, TOO_FAST)]


def flag_in(flag: str, language: str) -> str:
    """A stored flag in `language`; a flag of any other shape is shown as stored."""
    if language != "zh":
        return flag
    for template, reader in READERS:
        match = reader.fullmatch(flag)
        if match is None:
            continue
        values = match.groupdict()
        label = FOLLOW_UP_LABEL if values.pop("follow_up") else LABEL
        values["label"] = translate(label, language, n=values.pop("n"))
        return translate(template, language, **values)
    return flag
