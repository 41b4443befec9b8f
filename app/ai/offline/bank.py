"""The question bank: interview questions with reference answers and the cues that show a point.

Every `data/bank/*.json` file holds one category in one language (format in `data/README.md`).
The bank is read once per process; entries too broken to ask are left out here and reported by
`check_bank`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.ai.offline import text as tx
from app.ai.offline.taxonomy import DATA_DIR

BANK_DIR = DATA_DIR / "bank"
_PUNCTUATION = re.compile(r"[\W_]+")
# A question worded afresh (by a remote planner, or the interview flow) is the bank question that
# holds this share of its content words, and whose own content words it holds this share of
# (stems and synonyms folded): it asks all the bank question asks and little else. A question
# asking part of a bank question ("process vs thread" without "when would you prefer one") is
# not it, as its key points would ask for more than was asked...
REWORDED_AT = 0.8
# ...and it is alike clearly more than any other bank question in its language: two neighbours
# alike enough to be confused (index kinds, lock kinds) are told apart or not matched at all.
REWORDED_MARGIN = 0.2
_REWORDED_KEPT = 4096  # question texts whose lookup is kept (a long-lived process sees many)


@dataclass(frozen=True)
class Misconception:
    """A common wrong claim about a key point: as a candidate says it, the cues that show an
    answer asserts it (each a few fragments found in one clause), and what is true instead."""

    claim: str
    cues: tuple[str, ...]
    correction: str


@dataclass(frozen=True)
class KeyPoint:
    """A claim a good answer makes, the words that show an answer makes it, the probing
    question an interviewer asks when an answer leaves it out (without giving it away), and the
    wrong claims an interviewer listens for on it."""

    point: str
    cues: tuple[str, ...]
    probe: str = ""
    misconceptions: tuple[Misconception, ...] = ()


@dataclass(frozen=True)
class BankQuestion:
    """One question of the bank."""

    id: str
    category: str
    language: str
    skill: str
    kind: str
    difficulty: str
    text: str
    reference_answer: str
    key_points: tuple[KeyPoint, ...]
    # Behavioral questions: the words and phrases, in both languages, by which a story shows what
    # this question asks about (a conflict, a failure, a new technology…), and that subject in a
    # few words (English, Chinese) for the feedback. Empty for other kinds.
    ask_cues: tuple[str, ...] = ()
    asks_about: tuple[str, str] = ("", "")

    @property
    def points(self) -> list[str]:
        """The key points' texts, in order."""
        return [kp.point for kp in self.key_points]

    @property
    def cues(self) -> dict[str, list[str]]:
        """Each key point's cues, keyed by the point's text."""
        return {kp.point: list(kp.cues) for kp in self.key_points}

    @property
    def misconceptions(self) -> tuple[tuple[Misconception, ...], ...]:
        """Each key point's misconceptions, aligned with the key points."""
        return tuple(kp.misconceptions for kp in self.key_points)

    def probe_for(self, point: str) -> str:
        """The probing question for one of this question's key points ("" if none)."""
        wanted = point.strip().rstrip("。.")
        return next((kp.probe for kp in self.key_points if kp.point.rstrip("。.") == wanted), "")


def question_key(text: str) -> str:
    """A question's text reduced to letters and digits, so spacing and punctuation don't matter."""
    return _PUNCTUATION.sub("", text.lower())


class Bank:
    """All questions, indexed by skill and language and by their text."""

    def __init__(self, questions: list[BankQuestion]) -> None:
        self.questions = tuple(questions)
        self._by_skill: dict[tuple[str, str], list[BankQuestion]] = {}
        self._by_text: dict[str, BankQuestion] = {}
        self._terms: dict[str, frozenset[str]] = {}
        self._reworded: dict[str, BankQuestion | None] = {}
        self._with_term: dict[tuple[str, str], list[int]] | None = None
        for question in self.questions:
            self._by_skill.setdefault((question.skill, question.language), []).append(question)
            self._by_text.setdefault(question_key(question.text), question)

    def __len__(self) -> int:
        return len(self.questions)

    def for_skill(self, skill_id: str, language: str) -> list[BankQuestion]:
        """The questions about one skill in one language, in file order."""
        return self._by_skill.get((skill_id, language), [])

    def in_language(self, language: str) -> Iterator[BankQuestion]:
        """Every question in one language, in file order."""
        return (q for q in self.questions if q.language == language)

    def find_by_text(self, text: str) -> BankQuestion | None:
        """The bank entry a question text came from, if it came from the bank: as written, or
        reworded (see `find_reworded`)."""
        key = question_key(text)
        entry = self._by_text.get(key)
        if entry is not None or not key:
            return entry
        if key not in self._reworded:  # graders ask many times per answer, for bank or not
            if len(self._reworded) >= _REWORDED_KEPT:
                self._reworded.clear()
            self._reworded[key] = self.find_reworded(text)
        return self._reworded[key]

    def find_reworded(self, text: str) -> BankQuestion | None:
        """The bank question ``text`` says in other words: in its language, alike in REWORDED_AT
        of their content words both ways and clearly more than any other question is; else None
        (a question near two bank questions, or near none, is no bank question)."""
        own = strong_terms(text)
        if not own:
            return None
        language = tx.detect_language(text)
        # A question holding less than REWORDED_AT - REWORDED_MARGIN of these terms can be neither
        # the match nor a runner-up close enough to the match to matter (the small allowance keeps
        # rounding from dropping one at the very edge).
        fewest = (REWORDED_AT - REWORDED_MARGIN) * len(own) - 1e-9
        ranked = sorted(
            (
                (alike_by_count(n, len(own), len(self.terms_of(self.questions[k]))), k)
                for k, n in self.shared_terms(own, language).items()
                if n >= fewest
            ),
            reverse=True,
        )
        if not ranked or ranked[0][0] < REWORDED_AT:
            return None
        # A question sharing no term is alike 0: the runner-up when no other shares any.
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if ranked[0][0] - runner_up < REWORDED_MARGIN:
            return None
        return self.questions[ranked[0][1]]

    def shared_terms(self, terms: frozenset[str], language: str) -> dict[int, int]:
        """How many of ``terms`` each bank question in ``language`` holds, for those holding any:
        a new question is compared only with the few that share a word, not the whole bank."""
        if self._with_term is None:
            index: dict[tuple[str, str], list[int]] = {}
            for k, question in enumerate(self.questions):
                for term in self.terms_of(question):
                    index.setdefault((question.language, term), []).append(k)
            self._with_term = index
        counts: dict[int, int] = {}
        for term in terms:
            for k in self._with_term.get((language, term), ()):
                counts[k] = counts.get(k, 0) + 1
        return counts

    def terms_of(self, question: BankQuestion) -> frozenset[str]:
        """A bank question's strong terms, read once."""
        terms = self._terms.get(question.id)
        if terms is None:
            terms = self._terms[question.id] = strong_terms(question.text)
        return terms


def strong_terms(text: str) -> frozenset[str]:
    """The content terms of a text that say what it is about (weak words left out)."""
    return frozenset(t for t in tx.content_terms(text) if not tx.is_weak(t))


def alike(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two term sets are: the smaller of the shares of each the other holds, 0 (nothing
    shared) to 1 (the same)."""
    return alike_by_count(len(a & b), len(a), len(b))


def alike_by_count(shared: int, size_a: int, size_b: int) -> float:
    """`alike` from the number of shared terms and the two sets' sizes."""
    return min(shared / size_a, shared / size_b) if size_a and size_b else 0.0


# ------------------------------------------------------------------ reading files
def read_bank_files(directory: Path | None = None) -> list[tuple[Path, dict | str]]:
    """Each bank file with its parsed JSON, or the reason it could not be read."""
    results: list[tuple[Path, dict | str]] = []
    for path in sorted((directory or BANK_DIR).glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            results.append((path, f"unreadable: {error}"))
            continue
        results.append((path, raw if isinstance(raw, dict) else "top level is not an object"))
    return results


def parse_question(raw: object, category: str, language: str) -> BankQuestion | None:
    """A question from its JSON entry, or None when it lacks something needed to ask it."""
    if not isinstance(raw, dict):
        return None
    try:
        key_points = tuple(
            KeyPoint(
                str(kp["point"]).strip(),
                tuple(str(c) for c in kp.get("cues", [])),
                str(kp.get("probe", "")).strip(),
                parse_misconceptions(kp.get("misconceptions")),
            )
            for kp in raw["key_points"]
        )
        question = BankQuestion(
            id=str(raw["id"]),
            category=category,
            language=language,
            skill=str(raw["skill"]),
            kind=str(raw["kind"]),
            difficulty=str(raw["difficulty"]),
            text=str(raw["text"]).strip(),
            reference_answer=str(raw["reference_answer"]).strip(),
            key_points=key_points,
            ask_cues=parse_ask_cues(raw.get("ask_cues")),
            asks_about=parse_asks_about(raw.get("asks_about")),
        )
    except (KeyError, TypeError):
        return None
    usable = question.text and question.reference_answer and 3 <= len(key_points) <= 6
    return question if usable else None


def parse_ask_cues(raw: object) -> tuple[str, ...]:
    """A behavioral question's ask cues, both languages in one tuple (``{"en": […], "zh": […]}``
    in the file); malformed entries are left out here and reported by `check_bank`."""
    if not isinstance(raw, dict):
        return ()
    return tuple(
        " ".join(cue.split())
        for lang in ("en", "zh")
        if isinstance(raw.get(lang), list)
        for cue in raw[lang]
        if isinstance(cue, str) and cue.strip()
    )


def parse_asks_about(raw: object) -> tuple[str, str]:
    """What a behavioral question asks about, (English, Chinese); blanks when missing."""
    if not isinstance(raw, dict):
        return ("", "")
    return (str(raw.get("en", "")).strip(), str(raw.get("zh", "")).strip())


def parse_misconceptions(raw: object) -> tuple[Misconception, ...]:
    """The well-formed misconceptions of a key point; a broken one is left out (and reported by
    `check_bank`), since a wrong cue would accuse a correct answer."""
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        found = parse_misconception(item)
        if found is not None:
            out.append(found)
    return tuple(out)


def parse_misconception(raw: object) -> Misconception | None:
    """One misconception from its JSON object ({claim, cues, correction}), or None if malformed."""
    if not isinstance(raw, dict):
        return None
    claim, correction = str(raw.get("claim", "")).strip(), str(raw.get("correction", "")).strip()
    cues = raw.get("cues")
    if not claim or not correction or not isinstance(cues, list):
        return None
    kept = tuple(" ".join(str(c).split()) for c in cues if isinstance(c, str) and c.strip())
    return Misconception(claim, kept, correction) if kept else None


def parse_file(raw: dict) -> list[BankQuestion]:
    """The usable questions of one bank file."""
    category, language = str(raw.get("category", "")), str(raw.get("language", ""))
    entries = raw.get("questions", [])
    if not category or language not in ("en", "zh") or not isinstance(entries, list):
        return []
    parsed = (parse_question(entry, category, language) for entry in entries)
    return [q for q in parsed if q is not None]


@lru_cache(maxsize=4)
def load_bank(directory: Path | None = None) -> Bank:
    """The bank from data/bank (or another folder), read once per process."""
    questions: list[BankQuestion] = []
    seen: set[str] = set()
    for _path, raw in read_bank_files(directory):
        if isinstance(raw, str):
            continue
        for question in parse_file(raw):
            if question.id not in seen:  # a duplicate id would make stored references ambiguous
                seen.add(question.id)
                questions.append(question)
    return Bank(questions)
