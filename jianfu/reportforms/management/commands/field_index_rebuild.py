from django.core.management.base import BaseCommand

from jianfu.reportforms.reuse import field_index_rebuild


class Command(BaseCommand):
    help = ("Index every field of the dictionary for the reuse look-up (一表通) again (after a restore or a repair); "
            "the dictionary's services keep the index up to date by themselves otherwise.")

    def handle(self, *args, **options):
        self.stdout.write(f"{field_index_rebuild()} fields indexed")
