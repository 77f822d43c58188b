"""The user-facing docs: README's size, generated parts up to date, commands that exist."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
WRITTEN = [README, REPO / "CHANGELOG.md", *DOCS]

# Commands a README block may use besides the project's own scripts and entry points.
SHELL_BUILTINS = {"cd", "export", "source", "cp", "echo", "git"}
VENV_TOOLS = {"python", "pip", "chroma", "ruff", "pytest"}
# Folders the benchmarks create when they run; the docs name them before they exist.
WRITTEN_BY_BENCHMARKS = ("benchmarks/results", "benchmarks/.cache")


def _load_gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entry_points() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return set(project["scripts"])


def _bash_commands(text: str) -> list[str]:
    """Each simple command of the ```bash blocks, comments removed."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            commands += [c.strip() for c in re.split(r"&&|\|\||;|\|", line) if c.strip()]
    return commands


def _problem(command: str, entry_points: set[str]) -> str | None:
    """Why `command` names nothing that exists, or None when it does."""
    words = shlex.split(command)
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value before a command
        words = words[1:]
    if not words:
        return None
    program, args = words[0], words[1:]
    if program in SHELL_BUILTINS:
        return None
    if program.startswith(".venv/bin/"):
        program = program.removeprefix(".venv/bin/")
        if program not in entry_points | VENV_TOOLS:
            return f"{program} is no entry point or tool of the environment"
    if program in ("bash", "sh"):
        script = next((a for a in args if not a.startswith("-")), None)
        return None if script and (REPO / script).is_file() else f"no script {script}"
    if program == "python":
        if args[:1] == ["-m"]:
            module = args[1]
            path = REPO / module.replace(".", "/")
            if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
                return None
            top = module.split(".")[0]
            if (REPO / top).is_dir() or importlib.util.find_spec(top) is None:
                return f"no module {module}"
            return None
        script = args[0] if args else ""
        return None if (REPO / script).is_file() else f"no file {script}"
    if program in entry_points | VENV_TOOLS:
        return None
    return f"unknown command {program}"


def test_readme_is_at_most_15000_characters():
    assert len(README.read_text(encoding="utf-8")) <= 15_000


def test_generated_docs_are_up_to_date():
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("doc", [README, *DOCS], ids=lambda p: p.name)
def test_every_shell_command_names_something_that_exists(doc: Path):
    entry_points = _entry_points()
    commands = _bash_commands(doc.read_text(encoding="utf-8"))
    assert commands or doc != README
    problems = [f"{c!r}: {p}" for c in commands if (p := _problem(c, entry_points))]
    assert not problems


@pytest.mark.parametrize("doc", WRITTEN, ids=lambda p: p.name)
def test_no_talk_of_issues_rounds_or_sessions(doc: Path):
    text = doc.read_text(encoding="utf-8")
    found = re.findall(r"issue #|\brounds?\b|\bsessions?\b", text, flags=re.I)
    assert not found


@pytest.mark.parametrize("doc", WRITTEN, ids=lambda p: p.name)
def test_paths_named_in_the_docs_exist(doc: Path):
    """`retrieval/reading/features.py`, `bot/cogs/`: the files the docs point at are there."""
    text = doc.read_text(encoding="utf-8")
    pattern = (
        r"`((?:ingest|retrieval|bot|training|benchmarks|scripts|tests|samples|docs)/[\w./-]*)`"
    )
    named = set(re.findall(pattern, text))
    missing = [
        name
        for name in named
        if not name.startswith(WRITTEN_BY_BENCHMARKS) and not (REPO / name).exists()
    ]
    assert not missing


def test_readme_lists_every_benchmark():
    text = README.read_text(encoding="utf-8")
    scripts = [  # the runnable ones; helper modules beside them are not listed
        p
        for p in (REPO / "benchmarks").glob("*.py")
        if '__name__ == "__main__"' in p.read_text(encoding="utf-8")
    ]
    missing = [p.name for p in scripts if f"benchmarks/{p.name}" not in text]
    assert not missing


def test_figures_of_missing_and_present_results(tmp_path: Path, monkeypatch):
    gen_docs = _load_gen_docs()
    monkeypatch.setattr(gen_docs, "REPO", tmp_path)
    assert "not measured yet" in gen_docs.readme_figures()
    assert "not measured yet" in gen_docs.evaluation_figures()

    results = tmp_path / "benchmarks" / "results"
    results.mkdir(parents=True)
    row = {
        "answerable": {"right": 0.5, "wrong": 0.1, "other": 0.4, "abstained": 0.0},
        "unanswerable": {"right": 0.0, "wrong": 0.05, "other": 0.95, "abstained": 0.0},
        "p50_ms": 420,
        "p95_ms": 910,
    }
    report = {
        "split": "validation",
        "questions": 680,
        "answerable": 374,
        "passages": 9000,
        "configurations": {"learned reader": row},
    }
    (results / "reader_quality_validation.json").write_text(json.dumps(report))
    table = gen_docs.readme_figures()
    assert "| 2025 validation | 0.500 | 0.100 | 0.000 | 0.050 | 420 | 910 |" in table
    assert "| learned reader | 0.500 | 0.100 | 0.400 |" in gen_docs.evaluation_figures()
