"""`flask interview …`: the offline interviewer from the command line.

`grade FILE.jsonl` grades one answer per line, `plan --resume FILE --jd FILE --count N` plans an
interview, and `bank check` validates the question bank. Benchmarks and checks rely on the output
shapes described in SPEC §8 and §11.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

import click
from flask.cli import AppGroup

from app.ai.coach import check_bank, detect_language, grade_answer, load_bank, offline_plan
from app.ai.schemas import PlanRequest
from app.errors import AppError
from app.i18n import counted
from app.language import Language, as_language

interview_cli = AppGroup(
    "interview", help="The offline interviewer: grade answers, plan, check the bank."
)
bank_cli = AppGroup("bank", help="The question bank.")
interview_cli.add_command(bank_cli)


def _key_points(raw: object) -> tuple[list[str], list[list[str]] | None]:
    """Key points as texts, with cues when the line gives them as {"point", "cues"} objects."""
    if not isinstance(raw, list):
        return [], None
    points = [str(kp.get("point", "")) if isinstance(kp, dict) else str(kp) for kp in raw]
    cues = [list(kp.get("cues", [])) if isinstance(kp, dict) else [] for kp in raw]
    return points, cues if any(cues) else None


def grade_line(item: dict[str, Any]) -> dict[str, Any]:
    """Grade one JSONL record; bank cues are used when the question is a bank question."""
    question, answer = str(item.get("question", "")), str(item.get("answer", ""))
    points, cues = _key_points(item.get("key_points"))
    entry = load_bank().find_by_text(question)
    if cues is None and entry is not None:
        cues = [entry.cues.get(point, []) for point in points] or None
    language = item.get("language") or detect_language(question)
    grade = grade_answer(
        question,
        answer,
        points,
        reference_answer=str(item.get("reference_answer", "")),
        kind=str(item.get("kind") or "technical"),
        language=language,
        cues=cues,
    )
    result: dict[str, Any] = {"id": item["id"]} if "id" in item else {}
    result.update(
        score=int(grade.score),
        feedback=grade.feedback,
        covered=list(grade.covered_points),
        missed=list(grade.missed_points),
    )
    if grade.invalid_reason:
        result["invalid_reason"] = grade.invalid_reason
    return result


@interview_cli.command("grade")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def grade_command(file: TextIO) -> None:
    """Grade answers from a JSONL file ('-' for stdin); print one JSON result per line."""
    for number, line in enumerate(file, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise click.ClickException(f"line {number}: not valid JSON ({error.msg})") from error
        if not isinstance(item, dict):
            raise click.ClickException(f"line {number}: expected a JSON object")
        click.echo(json.dumps(grade_line(item), ensure_ascii=False))


def read_document(path: str) -> str:
    """Text of a CV or job description file: plain text, Markdown, PDF or DOCX."""
    from app.documents.extract import extract_document

    try:
        return extract_document(Path(path).read_bytes(), Path(path).name).text
    except AppError as error:
        raise click.ClickException(f"{path}: {error}") from error


@interview_cli.command("plan")
@click.option(
    "--resume",
    "resume_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The CV: text, Markdown, PDF or DOCX.",
)
@click.option(
    "--jd",
    "jd_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The job description file.",
)
@click.option(
    "--count",
    type=click.IntRange(1, 20),
    default=8,
    show_default=True,
    help="How many questions to plan.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Interview language (default: the job description's).",
)
@click.option("--title", default="", help="Job title, if it is not the description's first line.")
def plan_command(
    resume_path: str, jd_path: str, count: int, language: str | None, title: str
) -> None:
    """Plan an interview and print {"questions": [...]} as JSON."""
    resume, job = read_document(resume_path), read_document(jd_path)
    lang: Language = as_language(language or detect_language(job))
    request = PlanRequest(
        resume_text=resume, job_description=job, job_title=title, count=count, language=lang
    )
    plan = offline_plan(request)
    click.echo(
        json.dumps(
            {"questions": [q.model_dump() for q in plan.questions]}, ensure_ascii=False, indent=2
        )
    )


@bank_cli.command("check")
@click.option(
    "--require-misconceptions",
    is_flag=True,
    default=None,
    help="Fail on any key point without misconceptions (default: REQUIRE_MISCONCEPTIONS).",
)
def bank_check_command(require_misconceptions: bool | None) -> None:
    """Validate every bank entry; print counts, exit non-zero on problems."""
    result = check_bank(require_misconceptions=True) if require_misconceptions else check_bank()
    for name, value in sorted(result.counts.items()):
        click.echo(f"{name}: {value}")
    for shortfall in result.shortfalls():
        click.echo(f"below target: {shortfall}")
    if result.problems:
        for problem in result.problems:
            click.echo(f"PROBLEM {problem}", err=True)
        raise click.ClickException(
            f"{counted(len(result.problems), 'problem')} in the question bank"
        )
    click.echo("bank OK")
