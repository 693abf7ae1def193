"""`jianfu run`: the web server and the worker, supervised separately.

The worker is restarted whenever it stops, after a pause that doubles from 1 s up to a minute while it
keeps stopping soon after starting, and starts again from 1 s once a worker has run for a minute; the
web server keeps serving meanwhile, and `/jobs/` says the worker is not running. The web server is not
restarted: gunicorn's own master already replaces its web processes, so the master itself stopping means
something an operator must see (the port taken, a broken release); `run` then stops the worker and exits
with status 1, for the process manager (systemd's `Restart=on-failure`) to act on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
# A worker that ran this long before stopping counts as having worked: the next pause starts from 1 s again.
BACKOFF_RESET_AFTER = 60.0
# Longest path of a Unix socket (108 bytes on Linux, with room for the terminating byte).
SOCKET_PATH_MAX = 100


def exit_text(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return f"exit code {code}"


def control_socket_args(port: int) -> list[str]:
    """Each gunicorn gets its own control socket under the var directory (gunicorn's default is one path
    per user, which two instances would share), or none when that path is too long for a socket."""
    path = Path(settings.VAR_DIR) / "run" / f"gunicorn-{port}.ctl"
    if len(str(path).encode()) > SOCKET_PATH_MAX:
        return ["--no-control-socket"]
    path.parent.mkdir(parents=True, exist_ok=True)
    return ["--control-socket", str(path)]


class Child:
    """One supervised process and, for the worker, its restart pause."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        self.name, self.argv, self.env = name, argv, env
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = BACKOFF_FIRST
        self.restart_at: float | None = None
        self.restarts = 0
        self.last_exit = ""

    def start(self) -> int:
        env = dict(self.env, JIANFU_WORKER_RESTARTS=str(self.restarts), JIANFU_WORKER_LAST_EXIT=self.last_exit)
        # A process group of its own: Ctrl+C reaches `run` only, which then stops each child once, so the
        # worker finishes its task instead of taking a second signal as "stop now".
        self.proc = subprocess.Popen(self.argv, env=env, process_group=0)
        self.started = time.monotonic()
        self.restart_at = None
        return self.proc.pid

    def stopped(self) -> int | None:
        """The exit status if the process has stopped since the last look, else None."""
        if self.proc is None:
            return None
        return self.proc.poll()

    def schedule_restart(self, code: int) -> float:
        """Note how the process ended; return the pause before it starts again."""
        ran = time.monotonic() - self.started
        if ran >= BACKOFF_RESET_AFTER:
            self.delay = BACKOFF_FIRST
        pause = self.delay
        self.delay = min(BACKOFF_MAX, self.delay * 2)
        self.restarts += 1
        self.last_exit = exit_text(code)
        self.proc = None
        self.restart_at = time.monotonic() + pause
        return pause

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()

    def wait(self, timeout: float) -> None:
        """Wait for the process to stop after `terminate`; kill it after `timeout` seconds."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Command(BaseCommand):
    help = ("Serve Jianfu (gunicorn + WhiteNoise) and run the worker beside it, restarting the worker if it "
            "stops; Ctrl+C stops both.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="web worker processes (default 2)")
        parser.add_argument("--no-worker", action="store_true", help="serve pages only")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535")
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
        web = Child("web", [
            sys.executable, "-m", "gunicorn", "jianfu.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-", "--timeout", "120", *control_socket_args(port),
        ], env)
        worker = None if no_worker else Child("worker", [sys.executable, "-m", "jianfu.cli", "worker"], env)

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        failure = ""
        try:
            self.say(f"web server started (process {web.start()})")
            if worker:
                self.say(f"worker started (process {worker.start()})")
            self.say(f"Jianfu is serving on http://{host}:{port}/ ({settings.JIANFU_ENV}); Ctrl+C stops it.")
            while not stopping:
                code = web.stopped()
                if code is not None:
                    failure = f"the web server stopped ({exit_text(code)}); stopping the worker"
                    break
                if worker:
                    code = worker.stopped()
                    if code is not None:
                        pause = worker.schedule_restart(code)
                        self.say(f"worker stopped ({worker.last_exit}); restarting it in {pause:g} s")
                    elif worker.proc is None and time.monotonic() >= (worker.restart_at or 0):
                        self.say(f"worker restarted (process {worker.start()}, restart {worker.restarts})")
                time.sleep(0.2)
        finally:
            # Both at once; the worker finishes its running task on SIGTERM, and one killed after a minute
            # leaves its task to be taken over by the next worker.
            children = [web, worker] if worker else [web]
            for child in children:
                child.terminate()
            web.wait(timeout=30)
            if worker:
                worker.wait(timeout=60)
        if failure:
            raise CommandError(failure, returncode=1)
