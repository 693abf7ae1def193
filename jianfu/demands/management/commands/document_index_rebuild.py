from django.core.management.base import BaseCommand

from jianfu.demands.document_index import document_index_rebuild


class Command(BaseCommand):
    help = ("Index every registered document for the near-duplicate check again (after a restore or a repair); "
            "the registry keeps the index up to date by itself otherwise.")

    def handle(self, *args, **options):
        self.stdout.write(f"{document_index_rebuild()} documents indexed")
