"""`--workers N`: pre-forked worker processes sharing one port through SO_REUSEPORT.

The supervisor binds one listening SO_REUSEPORT socket per worker before forking
(`lifecycle.bind_group`: a second server on a busy port fails with "port in use" instead of
joining the group; port 0 resolves once for everyone), forks N workers that each accept on
their own socket (the kernel balances connections between them), waits until every worker's
pool is warm, prints the banner, and then restarts any worker that dies (on the same socket,
so connections queued for it meanwhile are served, not reset). SIGTERM/SIGINT are forwarded; each worker
drains its in-flight requests and exits 0.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
import traceback
from typing import TYPE_CHECKING

from zigttp.config import ServerConfig
from zigttp.errors import ZigttpError
from zigttp.log import start_line
from zigttp.server.dispatch import preflight
from zigttp.server.lifecycle import Server, bind_group

if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    from zigttp.frontend.pipeline import CompiledHandler


class Supervisor:
    def __init__(self, config: ServerConfig, compiled: CompiledHandler) -> None:
        self.config = config
        self.compiled = compiled
        self._sockets = bind_group(config.host, config.port, config.workers)  # fails first
        self.port = self._sockets[0].getsockname()[1]
        self.state_dir = tempfile.mkdtemp(prefix="zigttp-state-")
        self.children: dict[int, int] = {}  # pid -> worker index
        self.stopping = False
        self._starting = True
        self._failure_claim = os.path.join(self.state_dir, "startup-failure")
        self._ready_r, self._ready_w = os.pipe()

    def run(self) -> int:
        started = time.perf_counter()
        preflight(self.config)
        # Before the first fork: a SIGTERM while workers warm up must reach them too.
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for index in range(1, self.config.workers + 1):
            self._spawn(index)
        failed = self._wait_ready()
        self._starting = False  # workers forked from now on (restarts) report every failure
        if failed:
            self._stop_children(signal.SIGKILL)
            return failed
        if self.stopping:  # stopped while warming up: wait for the workers to exit
            return self._supervise()
        load_ms = (time.perf_counter() - started) * 1000
        host = self.config.host
        url = f"http://{f'[{host}]' if ':' in host else host}:{self.port}"
        print(
            start_line(
                self.config.log_format,
                url,
                handler=self.compiled.filename,
                pool=self.config.pool_size,
                load_ms=load_ms,
                workers=self.config.workers,
            ),
            flush=True,
        )
        return self._supervise()

    def _spawn(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:  # worker
            os.close(self._ready_r)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _exit_with_parent(os.getppid())
            os._exit(self._worker_main(index))
        self.children[pid] = index

    def _worker_main(self, index: int) -> int:
        """A worker's exit status is its error's exit code: the supervisor exits with it."""
        try:
            sock = self._sockets[index - 1]
            for other in self._sockets:
                if other is not sock:
                    other.close()
            server = Server(
                self.compiled,
                self.config.with_changes(port=self.port),
                state_dir=self.state_dir,
                worker=index,
            )
            server.serve_forever(sock, announce=False, on_ready=lambda: os.write(self._ready_w, b"."))
            return 0
        except ZigttpError as exc:  # a load error, --static DIR missing, ...
            self._report_failure(f"zigttp: {exc}\n")
            return exc.exit_code
        except BaseException:
            self._report_failure(traceback.format_exc())
            return 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()

    def _report_failure(self, text: str) -> None:
        """Print why this worker failed, unless another worker of the same start-up already did:
        N workers loading one handler fail N times alike, and the user needs the message once.
        The first to create the claim file prints; restarted workers always print."""
        if self._starting:
            try:
                os.close(os.open(self._failure_claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
            except OSError:
                pass
        sys.stderr.write(text)

    def _wait_ready(self) -> int:
        """0 once every worker is warm, else the exit code of the first that failed."""
        remaining = self.config.workers
        while remaining > 0 and not self.stopping:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.children.pop(pid, None)
                if os.WIFEXITED(status):  # the worker (or the first of them) said why
                    return os.WEXITSTATUS(status) or 1
                sys.stderr.write(
                    f"zigttp: worker failed to start (pid {pid}, killed by signal {os.WTERMSIG(status)})\n"
                )
                return 1
            import select

            readable, _, _ = select.select([self._ready_r], [], [], 0.05)
            if readable:
                remaining -= len(os.read(self._ready_r, remaining))
        return 0

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stopping = True
        self._stop_children(signal.SIGTERM)

    def _stop_children(self, signum: int) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                self.children.pop(pid, None)

    def _supervise(self) -> int:
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            index = self.children.pop(pid, None)
            if index is None or self.stopping:
                continue
            reason = (
                f"signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exit {os.WEXITSTATUS(status)}"
            )
            sys.stderr.write(f"zigttp: worker {index} (pid {pid}) died ({reason}); restarting\n")
            self._spawn(index)
        return 0


def _exit_with_parent(parent: int) -> None:
    """A worker whose supervisor died (SIGKILL, OOM killer) drains and exits instead of
    holding the port forever: a daemon thread watches the parent pid."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="zigttp-parent-watch", daemon=True).start()
