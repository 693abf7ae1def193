from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jianfu.org.demo import CAST, DEMO_PASSWORD, database_is_empty, demo_is_loaded
from jianfu.site.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo city of Chenzhou with one login per persona (refused when JIANFU_ENV=production)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="load only when the database holds no units and no people; otherwise do nothing")

    def handle(self, *args, if_empty: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo city is not loaded when JIANFU_ENV=production.")
        if if_empty and not database_is_empty():
            self.stdout.write("The database already holds data; the demo was not loaded.")
            return
        if demo_is_loaded():
            self.stdout.write("The demo city is already loaded.")
            return
        counts = demo_load()
        self.stdout.write(f"Demo city loaded: {counts['units']} units, {counts['people']} people.")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(c[0] for c in CAST))
