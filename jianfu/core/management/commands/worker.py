import os
import socket

from django.core.management.base import BaseCommand

from jianfu.core.worker import JianfuWorker


class Command(BaseCommand):
    help = "Run queued background tasks, retry failures and enqueue scheduled jobs (Ctrl+C stops)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")

    def handle(self, *args, interval: float, batch: bool, max_tasks, **options):
        worker = JianfuWorker(
            queue_names=["default"], interval=interval, batch=batch, backend_name="default",
            startup_delay=not batch, max_tasks=max_tasks,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64], excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        self.stdout.write(f"Jianfu worker started (process {os.getpid()}).")
        self.stdout.flush()
        worker.run()
