import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# The front-end libraries, copied from node_modules (installed from package-lock.json).
VENDOR_FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
}


class Command(BaseCommand):
    help = "Copy htmx and ECharts from node_modules into static files, then collect static files."

    def add_arguments(self, parser):
        parser.add_argument("--node-modules", default=str(settings.PROJECT_DIR / "node_modules"))
        parser.add_argument("--no-collect", action="store_true")

    def handle(self, *args, node_modules: str, no_collect: bool, **options):
        source = Path(node_modules)
        target = settings.BASE_DIR / "static" / "vendor"
        target.mkdir(parents=True, exist_ok=True)
        for name, rel in VENDOR_FILES.items():
            src = source / rel
            if not src.exists():
                raise CommandError(f"{src} is missing: run `npm ci` first.")
            shutil.copyfile(src, target / name)
        if not no_collect:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("static files ready")
