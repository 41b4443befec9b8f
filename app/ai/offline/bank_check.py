"""Validation of the question bank files: what `flask interview bank check` and its test run.

A wrong or malformed entry teaches a candidate something false or breaks grading, so every entry is
checked against the format in `data/README.md`: unique ids, known skills, 3–6 key points with
3–8 cues each, a reference answer of sane length, valid kind and difficulty, and Chinese files that
are actually written in Chinese. Misconceptions are vetted like the probes (format in
`data/README.md`): their cues must find their own claim and must not fire on the point, its cues
or the reference answer, since a cue that fires on a right answer would accuse the candidate.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.ai.offline.bank import question_key, read_bank_files
from app.ai.offline.grading.misconceptions import cue_fires
from app.ai.offline.grading.scoring import ask_pattern
from app.ai.offline.lexicon import GENERIC_STORY_WORDS, GENERIC_STORY_WORDS_ZH
from app.ai.offline.taxonomy import load_taxonomy

BANK_KINDS = {"technical", "behavioral", "situational", "coding"}
DIFFICULTIES = {"easy", "medium", "hard"}
REQUIRED = ("id", "skill", "kind", "difficulty", "text", "reference_answer", "key_points")
# The backend core the Chinese bank must cover (Java, JVM, concurrency, Spring, MySQL, Redis,
# networking, operating systems), by taxonomy category or by skill.
BACKEND_CATEGORIES = {"JVM", "Concurrency", "Caching", "Networking", "Operating Systems"}
BACKEND_SKILLS = {
    "java",
    "spring",
    "spring-boot",
    "spring-cloud",
    "mysql",
    "sql",
    "database-design",
    "orm",
    "redis",
}
TARGETS = {"questions": 300, "categories": 20, "zh_backend": 60, "behavioral": 30}
# Every key point of the bank carries misconceptions: `flask interview bank check` and the bank
# test fail on one left without (a new question must come with its wrong claims).
REQUIRE_MISCONCEPTIONS = True
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.+#-]*")


@dataclass
class BankCheck:
    """The outcome of a check: problems (empty when the bank is valid) and counts."""

    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every entry passed."""
        return not self.problems

    def shortfalls(self) -> list[str]:
        """Counts still below the bank's coverage targets (reported, not failures of an entry)."""
        return [
            f"{name}: {self.counts.get(name, 0)} < {target}"
            for name, target in TARGETS.items()
            if self.counts.get(name, 0) < target
        ]


def cjk_share(text: str) -> float:
    """Chinese characters as a share of Chinese characters plus Latin words.

    A Latin word counts once, however long, so a Chinese question naming `CountDownLatch` still
    reads as Chinese.
    """
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def check_bank(
    directory: Path | None = None, require_misconceptions: bool | None = None
) -> BankCheck:
    """Validate every bank file and entry; count questions, categories and coverage.

    A key point without misconceptions is a problem only when ``require_misconceptions`` (by
    default `REQUIRE_MISCONCEPTIONS`) says so; it is always counted.
    """
    require = REQUIRE_MISCONCEPTIONS if require_misconceptions is None else require_misconceptions
    result = BankCheck()
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    tally: Counter[str] = Counter()
    categories: set[str] = set()
    for path, raw in read_bank_files(directory):
        if isinstance(raw, str):
            result.problems.append(f"{path.name}: {raw}")
            continue
        language = _check_file(path, raw, result.problems)
        categories.add(str(raw.get("category", "")))
        for index, entry in enumerate(raw.get("questions") or []):
            where = f"{path.name}#{index}"
            if not isinstance(entry, dict):
                result.problems.append(f"{where}: entry is not an object")
                continue
            where = f"{path.name}:{entry.get('id', index)}"
            result.problems += [f"{where}: {p}" for p in check_entry(entry, language, require)]
            _check_unique(entry, where, ids, texts, result.problems)
            _tally(entry, language, tally)
    result.counts = {
        "files": len(read_bank_files(directory)),
        "categories": len(categories - {""}),
        **dict(tally),
    }
    for name in ("questions", "en", "zh", "zh_backend", "behavioral", "key_points"):
        result.counts.setdefault(name, 0)
    result.counts.setdefault("key_points_with_misconceptions", 0)
    return result


def _check_file(path: Path, raw: dict, problems: list[str]) -> str:
    """File-level problems; returns the file's language."""
    language = str(raw.get("language", ""))
    if language not in ("en", "zh"):
        problems.append(f"{path.name}: language must be 'en' or 'zh', not {language!r}")
    elif not path.name.endswith(f".{language}.json"):
        problems.append(f"{path.name}: file name does not end in .{language}.json")
    if not str(raw.get("category", "")).strip():
        problems.append(f"{path.name}: category is missing")
    if not isinstance(raw.get("questions"), list) or not raw.get("questions"):
        problems.append(f"{path.name}: questions must be a non-empty list")
    return language


def _check_unique(entry: dict, where: str, ids: dict, texts: dict, problems: list[str]) -> None:
    qid, key = str(entry.get("id", "")), question_key(str(entry.get("text", "")))
    if qid in ids:
        problems.append(f"{where}: id also used in {ids[qid]}")
    ids.setdefault(qid, where)
    if key and key in texts:
        problems.append(f"{where}: same question text as {texts[key]}")
    texts.setdefault(key, where)


def _tally(entry: dict, language: str, tally: Counter[str]) -> None:
    tally["questions"] += 1
    tally[language] += 1
    tally[f"kind_{entry.get('kind')}"] += 1
    points = [kp for kp in entry.get("key_points") or [] if isinstance(kp, dict)]
    tally["key_points"] += len(points)
    tally["key_points_with_misconceptions"] += sum(1 for kp in points if kp.get("misconceptions"))
    if entry.get("kind") == "behavioral":
        tally["behavioral"] += 1
    skill = load_taxonomy().get(str(entry.get("skill", "")))
    backend = skill is not None and (
        skill.id in BACKEND_SKILLS or skill.category in BACKEND_CATEGORIES
    )
    if language == "zh" and backend:
        tally["zh_backend"] += 1


def check_entry(entry: dict, language: str, require_misconceptions: bool = False) -> list[str]:
    """Everything wrong with one entry (an empty list when it is valid)."""
    missing = [name for name in REQUIRED if name not in entry]
    if missing:
        return [f"missing {', '.join(missing)}"]
    problems = _check_fields(entry)
    problems += _check_reference(str(entry["reference_answer"]), language)
    problems += _check_key_points(entry["key_points"], str(entry["kind"]), language)
    problems += _check_language(entry, language)
    if entry["kind"] == "behavioral":
        problems += check_ask(entry)
    if isinstance(entry["key_points"], list):
        reference = str(entry["reference_answer"])
        for n, kp in enumerate(entry["key_points"], 1):
            if isinstance(kp, dict):
                found = check_misconceptions(kp, reference, language, require_misconceptions)
                problems += [f"key point {n}: {p}" for p in found]
    return problems


ASK_CUES = (8, 60)  # how many ask cues a behavioral question has in each language


def check_ask(entry: dict) -> list[str]:
    """A behavioral question's ask: what it asks about and the cues by which a story shows it,
    both in English and in Chinese (a story may be told in either language). A cue that is only
    a word every work story uses ("team", "handled", "经历") would let any story through."""
    about, cues = entry.get("asks_about"), entry.get("ask_cues")
    problems = []
    if not isinstance(about, dict) or not all(
        isinstance(about.get(lang), str) and about[lang].strip() for lang in ("en", "zh")
    ):
        problems.append("needs asks_about: what it asks about, in en and zh")
    elif not _CJK.search(about["zh"]) or _CJK.search(about["en"]):
        problems.append("asks_about: en must be English and zh Chinese")
    if not isinstance(cues, dict):
        return [*problems, "needs ask_cues: {en: […], zh: […]} (how a story shows what it asks)"]
    low, high = ASK_CUES
    generic = GENERIC_STORY_WORDS | set(GENERIC_STORY_WORDS_ZH)
    for lang in ("en", "zh"):
        found = cues.get(lang)
        if not isinstance(found, list) or not low <= len(found) <= high:
            problems.append(f"ask_cues.{lang} needs {low}–{high} cues")
            continue
        for cue in found:
            if not isinstance(cue, str) or not cue.strip() or cue != " ".join(cue.split()):
                problems.append(f"ask_cues.{lang}: {cue!r} is not a cue")
            elif cue.lower() in generic:
                problems.append(f"ask_cues.{lang}: {cue!r} is a word every story uses")
            elif lang == "en" and _CJK.search(cue):
                problems.append(f"ask_cues.en: {cue!r} is not English")
        if lang == "zh" and sum(1 for c in found if _CJK.search(str(c))) * 2 < len(found):
            problems.append("ask_cues.zh must be mostly Chinese")
    # The model answer is a story of what was asked: if no cue finds it, the cues are too narrow
    # and would cap a right story told in its words.
    written = tuple(
        c
        for lang in ("en", "zh")
        if isinstance(cues.get(lang), list)
        for c in cues[lang]
        if isinstance(c, str) and c.strip()
    )
    if not ask_pattern(written).search(str(entry.get("reference_answer", ""))):
        problems.append("no ask cue finds the reference answer")
    return problems


def check_misconceptions(kp: dict, reference: str, language: str, required: bool) -> list[str]:
    """A key point's wrong claims: 1–3, each well formed, caught by its cues, and never by the
    point, its cues or the reference answer (a correct answer must not be accused)."""
    items = kp.get("misconceptions")
    if items is None:
        return ["needs misconceptions (the wrong claims to listen for)"] if required else []
    if not isinstance(items, list) or not 1 <= len(items) <= 3:
        return ["misconceptions must be a list of 1–3 objects"]
    problems = []
    for m, item in enumerate(items, 1):
        problems += [
            f"misconception {m}: {p}" for p in _check_misconception(item, kp, reference, language)
        ]
    return problems


def _check_misconception(item: object, kp: dict, reference: str, language: str) -> list[str]:
    if not isinstance(item, dict):
        return ["is not an object"]
    claim, correction = str(item.get("claim", "")).strip(), str(item.get("correction", "")).strip()
    cues = item.get("cues")
    problems = [
        f"needs a {name}" for name, v in (("claim", claim), ("correction", correction)) if not v
    ]
    if not isinstance(cues, list) or not 1 <= len(cues) <= 4:
        return [*problems, "needs 1–4 cues"]
    if language == "zh" and not (_CJK.search(claim) and _CJK.search(correction)):
        problems.append("a Chinese file's claim and correction must be written in Chinese")
    for cue in cues:
        problems += [f"cue {cue!r} {p}" for p in _check_cue(cue, kp, reference)]
    if claim and not any(isinstance(c, str) and cue_fires(c, claim) for c in cues):
        problems.append("no cue finds the claim itself")
    return problems


def _check_cue(cue: object, kp: dict, reference: str) -> list[str]:
    """One cue: 2–5 fragments separated by single spaces, silent on everything that is right."""
    if not isinstance(cue, str) or cue != " ".join(cue.split()) or not 2 <= len(cue.split()) <= 5:
        return ["must be 2–5 fragments separated by single spaces"]
    right = {"the point": str(kp.get("point", "")), "the reference answer": reference}
    right |= {f"the point's cue {c!r}": str(c) for c in kp.get("cues") or []}
    return [f"fires on {name}" for name, text in right.items() if cue_fires(cue, text)]


def _check_fields(entry: dict) -> list[str]:
    problems = []
    if not _ID.match(str(entry["id"])):
        problems.append(f"id {entry['id']!r} is not a lowercase slug")
    if load_taxonomy().get(str(entry["skill"])) is None:
        problems.append(f"skill {entry['skill']!r} is not in taxonomy.json")
    if entry["kind"] not in BANK_KINDS:
        problems.append(f"kind {entry['kind']!r} is not one of {sorted(BANK_KINDS)}")
    if entry["difficulty"] not in DIFFICULTIES:
        problems.append(f"difficulty {entry['difficulty']!r} is not easy, medium or hard")
    if not 8 <= len(str(entry["text"]).strip()) <= 600:
        problems.append("question text must be 8–600 characters")
    return problems


def _check_reference(reference: str, language: str) -> list[str]:
    """A model answer of 60–200 words is the target; well outside it is a mistake."""
    if language == "zh":
        size, low, high, unit = len(re.sub(r"\s", "", reference)), 100, 900, "characters"
    else:
        size, low, high, unit = len(reference.split()), 50, 260, "words"
    if not low <= size <= high:
        return [f"reference answer has {size} {unit}; expected {low}–{high}"]
    return []


def _check_key_points(points: object, kind: str, language: str) -> list[str]:
    if not isinstance(points, list) or not 3 <= len(points) <= 6:
        return ["needs 3–6 key points"]
    if kind == "behavioral" and len(points) != 4:
        return ["behavioral questions need four STAR key points"]
    problems = []
    seen: set[str] = set()
    for n, kp in enumerate(points, 1):
        if not isinstance(kp, dict) or not str(kp.get("point", "")).strip():
            problems.append(f"key point {n} has no text")
            continue
        cues = kp.get("cues")
        if not isinstance(cues, list) or not 3 <= len(cues) <= 8:
            problems.append(f"key point {n} needs 3–8 cues")
        elif any(not isinstance(c, str) or not c.strip() for c in cues):
            problems.append(f"key point {n} has an empty cue")
        if kp["point"] in seen:
            problems.append(f"key point {n} repeats an earlier one")
        seen.add(kp["point"])
        if language == "zh" and not _CJK.search(str(kp["point"])):
            problems.append(f"key point {n} is not in Chinese")
        problems += [f"key point {n}: {p}" for p in _check_probe(kp, language)]
    return problems


def _check_probe(kp: dict, language: str) -> list[str]:
    """The follow-up probe: one short question that does not give the point away."""
    probe = str(kp.get("probe", "")).strip()
    if not probe:
        return ["needs a probe (the follow-up question asked when an answer misses it)"]
    mark = "？" if language == "zh" else "?"
    problems = []
    if len(probe) > 200 or not probe.endswith(mark) or probe.count("?") + probe.count("？") > 1:
        problems.append(f"probe must be one question of at most 200 characters ending in {mark}")
    lowered, point = probe.lower(), str(kp["point"]).lower().rstrip("。.")
    # Telling cues: phrases of two or more words, or Chinese terms of three or more characters.
    telling = [
        str(c)
        for c in kp.get("cues") or []
        if len(str(c).split()) >= 2 or (language == "zh" and len(str(c)) >= 3)
    ]
    if point in lowered or any(cue.lower() in lowered for cue in telling):
        problems.append("probe gives the point away (repeats it or one of its cues)")
    return problems


def _check_language(entry: dict, language: str) -> list[str]:
    text, reference = str(entry["text"]), str(entry["reference_answer"])
    if language == "zh" and (cjk_share(text) < 0.5 or cjk_share(reference) < 0.6):
        return ["a Chinese file's question and reference answer must be written in Chinese"]
    if language == "en" and (cjk_share(text) > 0.05 or cjk_share(reference) > 0.05):
        return ["an English file's question and reference answer must be written in English"]
    return []
