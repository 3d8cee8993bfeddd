"""`--workers N`: pre-forked worker processes sharing one port through SO_REUSEPORT.

The supervisor reserves the port with a bound, non-listening SO_REUSEPORT socket (so port 0
resolves once for everyone), forks N workers that each listen on their own socket (the kernel
balances connections between them), waits until every worker's pool is warm, prints the
banner, and then restarts any worker that dies. SIGTERM/SIGINT are forwarded; each worker
drains its in-flight requests and exits 0.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from typing import TYPE_CHECKING

from zigttp.config import ServerConfig
from zigttp.errors import ZigttpError
from zigttp.server.dispatch import preflight
from zigttp.server.lifecycle import Server, bind_socket
from zigttp.state_dir import create_state_dir, remove_state_dir

if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    from zigttp.frontend.pipeline import CompiledHandler


class Supervisor:
    def __init__(self, config: ServerConfig, compiled: CompiledHandler) -> None:
        self.config = config
        self.compiled = compiled
        self.state_dir = create_state_dir()  # removed when run() returns (state_dir.py)
        self.children: dict[int, int] = {}  # pid -> worker index
        self.stopping = False
        self._reserve = bind_socket(config.host, config.port, reuse_port=True, listen=False)
        self.port = self._reserve.getsockname()[1]
        self._ready_r, self._ready_w = os.pipe()

    def run(self) -> int:
        try:
            return self._run()
        finally:
            remove_state_dir(self.state_dir)

    def _run(self) -> int:
        started = time.perf_counter()
        preflight(self.config)
        # Before the first fork: a SIGTERM while workers warm up must reach them too.
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for index in range(1, self.config.workers + 1):
            self._spawn(index)
        failed = self._wait_ready()
        if failed:
            self._stop_children(signal.SIGKILL)
            return failed
        if self.stopping:  # stopped while warming up: wait for the workers to exit
            return self._supervise()
        load_ms = (time.perf_counter() - started) * 1000
        print(f"Listening on http://{self.config.host}:{self.port} (workers {self.config.workers}, "
              f"pool {self.config.pool_size} each, handler {self.compiled.filename}, "
              f"loaded in {load_ms:.1f} ms)", flush=True)
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
            sock = bind_socket(self.config.host, self.port, reuse_port=True)
            server = Server(self.compiled, self.config.with_changes(port=self.port),
                            state_dir=self.state_dir, worker=index)
            server.serve_forever(sock, announce=False,
                                 on_ready=lambda: os.write(self._ready_w, b"."))
            return 0
        except ZigttpError as exc:  # e.g. --static DIR missing: a usage error, exit 2
            sys.stderr.write(f"zigttp: {exc}\n")
            return exc.exit_code
        except BaseException:
            traceback.print_exc()
            return 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()

    def _wait_ready(self) -> int:
        """0 once every worker is warm, else the exit code of the first that failed."""
        remaining = self.config.workers
        while remaining > 0 and not self.stopping:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.children.pop(pid, None)
                code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1
                if code == 1:  # (2 is a usage error the worker already explained)
                    sys.stderr.write(f"zigttp: worker failed to start (pid {pid})\n")
                return code or 1
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
            reason = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                      else f"exit {os.WEXITSTATUS(status)}")
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
