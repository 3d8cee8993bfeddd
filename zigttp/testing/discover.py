"""Pair fixtures with handlers: `foo.test.jsonl` ↔ `foo.ts|tsx|js|jsx`, or a `"handler"` field.

A fixture with no handler beside it belongs to the project: the `handler` of the nearest
zigttp.json, or the `entry` of upstream's zttp.json (whose fixtures live in `tests/`).

`zigttp test` with no arguments walks the current directory for `*.test.jsonl` (skipping hidden
directories, `node_modules` and `__pycache__`); one argument may be a fixture, a handler (its
fixture sits next to it) or a directory to walk; two arguments are fixture and handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from zigttp.errors import FixtureError, UsageError
from zigttp.testing.fixtures import Fixture, load_fixture

FIXTURE_SUFFIX = ".test.jsonl"
HANDLER_SUFFIXES = (".ts", ".tsx", ".js", ".jsx")
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})


def walk_fixtures(root: Path) -> Iterator[Path]:
    for entry in sorted(root.iterdir()):
        if entry.is_dir():
            if not entry.name.startswith(".") and entry.name not in SKIP_DIRS:
                yield from walk_fixtures(entry)
        elif entry.name.endswith(FIXTURE_SUFFIX):
            yield entry


def handler_for(fixture: Fixture) -> Path:
    path = Path(fixture.path)
    if fixture.handler:
        return path.parent / fixture.handler
    if path.name.endswith(FIXTURE_SUFFIX):
        stem = path.name[: -len(FIXTURE_SUFFIX)]
        for suffix in HANDLER_SUFFIXES:
            candidate = path.with_name(stem + suffix)
            if candidate.is_file():
                return candidate
    project = _project_handler(path.parent)
    if project is not None:
        return project
    raise FixtureError(
        f"{path}: no handler for this fixture: put foo.ts|tsx|js|jsx next to foo.test.jsonl, "
        'add a "handler" field to its first row, or pass the handler: zigttp test FIXTURE HANDLER'
    )


def _project_handler(directory: Path) -> Path | None:
    from zigttp.project import project_defaults

    config = project_defaults(directory)
    handler = config.options.get("handler") if config is not None else None
    return Path(handler) if handler else None


def fixture_for(handler: Path) -> Path:
    stem = handler.name.rsplit(".", 1)[0]
    return handler.with_name(stem + FIXTURE_SUFFIX)


def resolve(paths: tuple[str, ...], cwd: Path | None = None) -> list[tuple[Fixture, str]]:
    """(parsed fixture, handler path) pairs; raises FixtureError for anything invalid."""
    if len(paths) > 2:
        raise UsageError("usage: zigttp test [FIXTURE.jsonl] [HANDLER] (at most two paths)")
    if len(paths) == 2:
        return [(load_fixture(paths[0]), paths[1])]
    if not paths or Path(paths[0]).is_dir():
        root = Path(paths[0]) if paths else (cwd or Path("."))
        pairs = []
        for file in walk_fixtures(root):
            fixture = load_fixture(file)
            pairs.append((fixture, str(handler_for(fixture))))
        if not pairs:
            raise FixtureError(f"no *{FIXTURE_SUFFIX} fixtures found under {root}")
        return pairs
    given = Path(paths[0])
    if given.suffix in HANDLER_SUFFIXES or given.suffix == ".pyz":
        return [(load_fixture(fixture_for(given)), str(given))]
    fixture = load_fixture(given)
    return [(fixture, str(handler_for(fixture)))]
