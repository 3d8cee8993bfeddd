"""`zigttp build HANDLER [-o OUT]`: front end + check once, then one verifiable artifact.

Exit 0 on success; 1 with the diagnostics when the source does not compile (SourceError) or
the artifact cannot be written (BuildError). See `zigttp.build.artifact` for the format.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from zigttp.errors import BuildError, HandlerLoadError

if TYPE_CHECKING:
    from zigttp.frontend.pipeline import CompiledHandler

SOURCE_SUFFIXES = (".js", ".jsx", ".ts", ".tsx")


def default_output(handler: Path) -> Path:
    return Path.cwd() / (handler.name.rsplit(".", 1)[0] + ".pyz")


def compile_for_build(handler: Path) -> CompiledHandler:
    """The serve front end, plus the `check` analyzer when the front end offers one."""
    from zigttp.frontend import pipeline

    compiled = pipeline.compile_file(handler)
    diagnose = getattr(pipeline, "diagnose", None)
    if diagnose is not None:
        from zigttp.errors import SourceError

        checked = diagnose(handler)
        errors = [d for d in checked.diagnostics if d.is_error]
        if errors:
            raise SourceError(errors)
    return compiled


def run_build(handler: str, output: str | None) -> int:
    source = Path(handler)
    if not source.is_file():
        raise HandlerLoadError(f"handler file not found: {handler}")
    if source.suffix not in SOURCE_SUFFIXES:
        raise BuildError(f"cannot build {handler}: expected a .js, .jsx, .ts or .tsx handler")
    started = time.perf_counter()
    compiled = compile_for_build(source)
    for diagnostic in compiled.diagnostics:
        sys.stderr.write(diagnostic.headline() + "\n")
    target = Path(output) if output else default_output(source)
    if target.resolve() == source.resolve():
        raise BuildError(f"refusing to overwrite the handler source {handler} with the artifact")
    from zigttp.build.artifact import write_artifact

    info = write_artifact(compiled, str(source), target)
    elapsed = (time.perf_counter() - started) * 1000
    print(
        f"Built {info.path} from {handler} ({info.size} bytes, sha256 {info.sha256[:16]}, {elapsed:.1f} ms)"
    )
    print(f"Run it with: zigttp serve {info.path}   or   python {info.path}")
    return 0
