"""`zigttp serve`: pre-forked worker processes sharing one port through SO_REUSEPORT.

The supervisor binds one listening SO_REUSEPORT socket per worker before forking
(`lifecycle.bind_group`: a second server on a busy port fails with "port in use" instead of
joining the group; port 0 resolves once for everyone), forks N workers that each accept on
their own socket (the kernel balances connections between them), waits until every worker's
pool is warm, prints the banner, and then restarts any worker that dies (on the same socket,
so connections queued for it meanwhile are served, not reset) and replaces any worker that
froze (the watchdog, `watchdog.py`). SIGTERM/SIGINT are forwarded; each worker drains its
in-flight requests and exits 0, and a worker still there at the drain deadline is killed.

`--workers 1` runs under a supervisor too: a frozen worker cannot be noticed, killed or
restarted from inside itself (its loop thread is stuck, and it does not handle SIGTERM).

A cold start's first requests wait for no worker: the supervisor answers them itself with the
fast start's loop on every socket of the group, then forks worker 1 from inside that loop
(`fast_start.FirstAnswer`; `_answer_first` says when), and the others after it.
"""

from __future__ import annotations

import _signal as signal  # (signal.py without its IntEnums: zigttp/server/sockets.py says why)
import gc
import os
import sys
import time

from zigttp import import_bundle, lean_threads
from zigttp.config import ServerConfig
from zigttp.errors import ZigttpError
from zigttp.lean_threads import start_daemon
from zigttp.log import start_line
from zigttp.server.dispatch import preflight
from zigttp.server.fast_start import FirstAnswer, FirstAnswerOver
from zigttp.server.heartbeat import TICK, Board, clock
from zigttp.server.lifecycle import Server, bind_group, fast_start_enabled, inline_lane_configured
from zigttp.server.watchdog import GRACE, Watchdog, dump_stacks_on_signal
from zigttp.state_dir import create_state_dir, remove_state_dir, sweep_leftovers

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    from zigttp.frontend.pipeline import CompiledHandler

SWEEP_AFTER = 1.0  # seconds after the workers are ready before the state-directory sweep
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
RESEND_STOP = 1.0  # seconds between the SIGTERMs a stopping supervisor sends its workers


class Supervisor:
    def __init__(self, config: ServerConfig, compiled: CompiledHandler) -> None:
        self.config = config
        self.compiled = compiled
        self._sockets = bind_group(config.host, config.port, config.workers)  # fails first
        self.port = self._sockets[0].getsockname()[1]
        self.state_dir = create_state_dir(sweep=False)  # removed when run() returns (state_dir.py)
        self.children: dict[int, int] = {}  # pid -> worker index
        self.stopping = False
        self.drain_deadline = 0.0  # when stopping: kill what is left after this (clock())
        self.board = Board(config.workers)
        self.watchdog = Watchdog(self.board, config.timeout, config.workers)
        self._starting = True
        self._failure_claim = os.path.join(self.state_dir, "startup-failure")
        self._ready_r, self._ready_w = os.pipe()
        self.forked = False  # True in a worker (forked from here)
        self._resend_at = 0.0  # when stopping: SIGTERM the workers still there again then

    def run(self) -> int:
        try:
            return self._run()
        finally:
            remove_state_dir(self.state_dir)

    def _run(self) -> int:
        started = time.perf_counter()
        preflight(self.config)
        self.compiled = _load_before_fork(self.compiled, self.config)
        # Before the first fork: a SIGTERM while workers warm up must reach them too.
        self._install_signals()
        first = 1
        if _answers_first(self.config, self.compiled):
            status = self._answer_first()
            if status is not None:  # the handler failed to load, or a SIGTERM came first
                return status
            first = 2
        for index in range(first, self.config.workers + 1):
            if self.stopping:  # (a SIGTERM meanwhile: the workers forked so far drain)
                break
            self._spawn(index)
        gc.enable()  # (off since the command line was read: `entry.main`)
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
        workers = self.config.workers if self.config.workers > 1 else 0  # -w 1: as one process
        print(
            start_line(
                self.config.log_format,
                url,
                handler=self.compiled.filename,
                pool=self.config.pool_size,
                load_ms=load_ms,
                workers=workers,
            ),
            flush=True,
        )
        # What this process imported for the workers, as one file for the next start to read
        # (import_bundle.py); written once per install or edit, while the workers serve.
        import_bundle.refresh()
        return self._supervise()

    def _install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _spawn(self, index: int) -> None:
        self.board.clear(index)
        if self._fork(index) == 0:
            os._exit(self._worker_main(index))

    def _fork(self, index: int, *, in_loop: bool = False) -> int:
        """Fork worker `index`: 0 in the worker, set up as one; its pid here. `in_loop`: from
        the first-answer loop (`_answer_first`), whose signal handlers the worker keeps and
        whose threads it starts (the loop held them: `lean_threads.hold`).

        The CPython recipe for fork without exec (the `gc` docs): the collector is off from
        the start (`entry.main`), everything allocated so far is frozen right before the fork,
        and the child turns collection back on; so no collection, in the worker or here,
        writes to the pages they share (copy-on-write faults slowed every worker's first
        milliseconds, and each fault is a page the worker then holds alone).

        SIGTERM and SIGINT are blocked across the fork: one that came meanwhile waits in the
        kernel until this process knows the new worker (so it is forwarded to it too), and one
        forwarded to the new worker waits until the worker's interpreter is past its fork
        (CPython drops the signals it has noted but not yet handled when a child starts, so
        a SIGTERM sent right after the fork was lost and the worker never drained)."""
        sys.stdout.flush()  # (an access line of the first answer is printed once, not twice)
        sys.stderr.flush()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # worker
            self.forked = True
            gc.enable()
            os.close(self._ready_r)
            if in_loop:
                lean_threads.release(start=True)
            else:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            dump_stacks_on_signal()
            _exit_with_parent(os.getppid(), self.config.drain_timeout)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            return 0
        if in_loop:
            lean_threads.release(start=False)  # (worker 1's: its pool slots, its metrics)
        self.children[pid] = index
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return pid

    def _answer_first(self) -> int | None:
        """Serve as worker 1 until the first answer is out, then fork worker 1 from inside the
        loop (`fast_start.FirstAnswer`); None once forked. Else this start's exit status:
        the handler failed to load (reported as a worker reports it), or a SIGTERM/SIGINT
        drained the loop before it forked (0)."""
        self.board.clear(1)
        lean_threads.hold()  # (no thread may run here at the fork)
        first = FirstAnswer(self._sockets, lambda: self._fork(1, in_loop=True) == 0)
        try:
            status = self._worker_main(1, first)
        except FirstAnswerOver as over:  # here, worker 1 forked: it serves those connections
            over.loop.abandon()
            self._install_signals()
            if over.loop.stop_requested:  # (the worker has the flag too)
                self._on_signal(signal.SIGTERM, None)
            return None
        finally:
            lean_threads.release(start=False)
        if self.forked:
            os._exit(status)  # worker 1, done serving
        self._install_signals()  # (no fork: the loop drained, or the handler failed to load)
        return status

    def _worker_main(self, index: int, first: FirstAnswer | None = None) -> int:
        """A worker's exit status is its error's exit code: the supervisor exits with it."""
        try:
            sock = self._sockets[index - 1]
            for other in self._sockets if first is None else ():
                if other is not sock:
                    other.close()
            server = Server(
                self.compiled,
                self.config.with_changes(port=self.port),
                state_dir=self.state_dir,
                worker=index,
                heartbeat=self.board.heartbeat(index),
            )
            server.serve_forever(
                sock, announce=False, on_ready=lambda: os.write(self._ready_w, b"."), first=first
            )
            return 0
        except FirstAnswerOver:
            raise
        except ZigttpError as exc:  # a load error, --static DIR missing, ...
            self._report_failure(f"zigttp: {exc}\n")
            return exc.exit_code
        except BaseException:
            import traceback

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
        if not self.stopping:
            self.drain_deadline = clock() + self.config.drain_timeout + GRACE
        self.stopping = True
        self._stop_children(signal.SIGTERM)
        self._resend_at = clock() + RESEND_STOP

    def _stop_children(self, signum: int) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                self.children.pop(pid, None)

    def _supervise(self) -> int:
        """Until every worker is gone: reap and restart, judge heartbeats, enforce the drain;
        once, `SWEEP_AFTER` seconds in, remove crashed servers' state directories (state_dir.py:
        not before the first answers, which it would delay)."""
        sweep_at = clock() + SWEEP_AFTER
        while self.children:
            self._reap()
            now = clock()
            if sweep_at and now >= sweep_at:
                sweep_at = 0.0
                sweep_leftovers()
            self.watchdog.sweep(self.children, now)
            if self.stopping and now > self.drain_deadline:
                self.watchdog.kill_stragglers(self.children, self.config.drain_timeout)
            elif self.stopping and now >= self._resend_at:
                # A SIGTERM can be lost in a worker: one that lands while its signal handlers
                # change hands (the fast start's loop to uvloop's). Say it again; a drain that
                # has begun ignores it.
                self._stop_children(signal.SIGTERM)
                self._resend_at = now + RESEND_STOP
            self._pause()
        return 0

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            index = self.children.pop(pid, None)
            frozen = self.watchdog.killed(pid)
            if index is None or self.stopping:
                continue
            reason = (
                f"signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exit {os.WEXITSTATUS(status)}"
            )
            what = "was killed by the watchdog" if frozen else "died"
            sys.stderr.write(f"zigttp: worker {index} (pid {pid}) {what} ({reason}); restarting\n")
            self._spawn(index)

    def _pause(self) -> None:
        """Wait half a heartbeat tick (signal handlers run meanwhile). Restarted workers report
        ready on the pipe: read it so it never fills."""
        import select

        readable, _, _ = select.select([self._ready_r], [], [], TICK / 2)
        if readable:
            os.read(self._ready_r, 4096)


def _answers_first(config: ServerConfig, compiled: CompiledHandler) -> bool:
    """Whether the supervisor answers the first requests itself (`_answer_first`): where the
    inline lane runs the handler (`start_pool`) and every module it imports is free of effects
    and never blocks. A first run interrupted at the inline bound is then run again by the
    worker on its threads (`lanes`); one that had changed a store could not be. A pool of one
    runtime has no inline lane; `--isolation request` neither. ZIGTTP_FIRST_ANSWER=0: off."""
    if not (
        fast_start_enabled(config)
        and inline_lane_configured(config)
        and config.isolation != "request"
        and config.pool_size > 1
        and not config.modules
        and not config.trace_file
        and os.environ.get("ZIGTTP_FIRST_ANSWER", "1") != "0"
    ):
        return False
    from zigttp.modules import find_module

    for name in compiled.modules:
        spec = find_module(name)
        if spec is None or spec.effects or spec.blocking or spec.blocking_when is not None:
            return False
    return True


def _load_before_fork(compiled: CompiledHandler, config: ServerConfig) -> CompiledHandler:
    """Do once, in the supervisor, what every worker would do alike: compile the prelude and
    the handler to bytecode, and import what building the handler and serving it import: the
    fast start, or (without it) the event loop backend and uvloop (with it, each worker
    imports those after its first answer). The workers fork from here, so they start serving
    sooner and share these pages with the supervisor instead of each holding a copy. A
    handler the engine cannot parse fails here, once. (No runtime is built before the fork:
    each worker builds its own.)"""
    import zigttp.modules._loader  # (what each worker's `build_handler` imports)
    import zigttp.web.outbound
    from zigttp.records import replace
    from zigttp.runtime.engine import runtime_bytecode
    from zigttp.runtime.handler import bytecode_of

    if config.backend == "loop" and fast_start_enabled(config):
        import zigttp.server.fast_start  # (what `Server._run_backend` imports)
    elif config.backend == "loop":
        import uvloop  # noqa: F401  (what `new_event_loop` imports in the worker)

        import zigttp.server.loop_backend  # noqa: F401
    runtime_bytecode()
    compiled = replace(compiled, bytecode=bytecode_of(compiled))
    import_bundle.release()  # (imported: the workers need not inherit its bytes)
    return compiled


def _exit_with_parent(parent: int, drain_timeout: float) -> None:
    """A worker whose supervisor died (SIGKILL, OOM killer) drains and exits instead of
    holding the port forever: a daemon thread watches the parent pid. With nobody left to
    kill it, a worker too frozen to drain ends itself at the drain deadline (this thread still
    runs while the loop thread is stuck in code that released the interpreter, as JS does)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(drain_timeout + GRACE)
        sys.stderr.write(
            "zigttp: worker outlived its supervisor and did not drain within "
            f"{drain_timeout:g} s + {GRACE:g} s; exiting\n"
        )
        sys.stderr.flush()
        os._exit(1)

    start_daemon(watch, "zigttp-parent-watch")
