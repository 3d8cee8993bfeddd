"""The per-server state directory: shared module state (cache, ratelimit, metrics snapshots).

It holds what the handler cached, secrets included, so it lives only as long as its server:
created mode 0700 (mkdtemp), removed when the server exits, and named after the owning
process (`zigttp-state-<pid>-XXXX`) so the next server started on the host removes those left
by a server that was killed (SIGKILL, OOM) before it could clean up. Only directories of our
own uid whose owner pid no longer runs are swept; a live server's directory is never touched.
The sweep reads the whole temporary directory (tens of thousands of entries on a busy host, a
large share of a cold start), so a supervisor creates its directory without it and sweeps once
its workers answer (`Supervisor._supervise`). Neither `tempfile` nor `shutil` is imported
to create it (~12 M instructions of a start with the modules they bring): `temp_root` is
tempfile's choice on any usual host, and tempfile itself decides when that one is unusable.
"""

from __future__ import annotations

import os

from zigttp.lean import Pattern, suppress

PREFIX = "zigttp-state-"
_OWNED = Pattern(rf"^{PREFIX}(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def temp_root() -> str:
    """Where state directories go: `$TMPDIR` (or `$TEMP`, `$TMP`), else /tmp, as `tempfile`
    chooses when that directory is usable."""
    return os.environ.get("TMPDIR") or os.environ.get("TEMP") or os.environ.get("TMP") or "/tmp"


def sweep_leftovers(root: str | None = None) -> int:
    """Remove state directories whose server is gone; returns how many were removed."""
    root = root or temp_root()
    removed = 0
    with suppress(OSError), os.scandir(root) as entries:
        for entry in entries:
            if not entry.name.startswith(PREFIX):  # (most entries: no regex call for them)
                continue
            match = _OWNED.match(entry.name)
            if not match or not entry.is_dir(follow_symlinks=False):
                continue
            with suppress(OSError):
                if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                    continue
                if not _alive(int(match.group(1))):
                    import shutil  # (only for a leftover: most sweeps remove nothing)

                    shutil.rmtree(entry.path)
                    removed += 1
    return removed


def create_state_dir(sweep: bool = True) -> str:
    """A fresh 0700 directory owned by this process, after sweeping crashed servers' ones
    (`sweep=False`: the caller sweeps later, off the start path)."""
    if sweep:
        sweep_leftovers()
    prefix = f"{PREFIX}{os.getpid()}-"
    try:
        path = os.path.join(temp_root(), prefix + os.urandom(8).hex())
        os.mkdir(path, 0o700)  # (what mkdtemp does: a fresh name, 0700, never an existing one)
        return path
    except OSError:  # an unusable $TMPDIR (or a name taken): tempfile searches further
        import tempfile

        return tempfile.mkdtemp(prefix=prefix)


def remove_state_dir(path: str | None) -> None:
    if path:
        import shutil

        shutil.rmtree(path, ignore_errors=True)
