"""`zigttp init NAME [--template basic|api|htmx]`: scaffold a project that runs and tests as is.

A project is a handler, its fixtures (`handler.test.jsonl`, spec §8), a `public/` directory
served as static files, a `zigttp.json` with the defaults `serve`/`dev`/`test` pick up, and a
README. Templates are package data under `zigttp/templates/`; `{{name}}`, `{{template}}` and
`{{handler}}` (the handler's file name) are the only substitutions. An existing non-empty
target is never touched (UsageError, exit 2).
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from zigttp.errors import UsageError

TEMPLATES = ("basic", "api", "htmx")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def template_files(template: str) -> list[tuple[str, Traversable]]:
    """(relative path, resource) for every file of a template, sorted."""
    root = resources.files("zigttp") / "templates" / template
    found: list[tuple[str, Traversable]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            relative = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, relative + "/")
            elif child.name != "__pycache__":
                found.append((relative, child))

    walk(root, "")
    return sorted(found, key=lambda item: item[0])


def run_init(name: str, template: str, parent: Path | None = None) -> int:
    """`name` is a directory to create (or an empty one); `.` is the current directory, as in
    `git init .`, and the project takes that directory's name."""
    target = ((parent or Path.cwd()) / name).resolve()
    project = target.name
    if not _NAME.match(project):
        raise UsageError(
            f"invalid project name {project!r} (from {name!r}): use letters, digits, "
            "'.', '_' and '-', starting with a letter or digit"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty; refusing to overwrite it")
    if template not in TEMPLATES:
        raise UsageError(f"unknown template {template!r}: choose one of {', '.join(TEMPLATES)}")
    created = []
    files = template_files(template)
    entry = next(rel for rel, _ in files if rel.startswith("handler.") and not rel.endswith(".jsonl"))
    values = {"{{name}}": project, "{{template}}": template, "{{handler}}": entry}
    for relative, resource in files:
        text = resource.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        created.append(relative)
    out = sys.stdout
    out.write(f"Created {target} ({template} template):\n")
    for relative in created:
        out.write(f"  {relative}\n")
    cd = "" if target == Path.cwd().resolve() else f"  cd {name}\n"
    out.write(f"\nNext:\n{cd}  zigttp dev\n  zigttp test handler.test.jsonl {entry}\n")
    return 0
