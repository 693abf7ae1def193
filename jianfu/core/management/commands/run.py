import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Jianfu (gunicorn + WhiteNoise) and run the worker beside it; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="web worker processes (default 2)")
        parser.add_argument("--no-worker", action="store_true", help="serve pages only")

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535")
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
        procs = []
        web = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "jianfu.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-", "--timeout", "120",
        ], env=env)
        procs.append(web)
        if not no_worker:
            procs.append(subprocess.Popen([sys.executable, "-m", "jianfu.cli", "worker"], env=env))
        self.stdout.write(f"Jianfu is serving on http://{host}:{port}/ ({settings.JIANFU_ENV}); Ctrl+C stops it.")

        def stop(*_):
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
