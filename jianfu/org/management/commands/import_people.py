from jianfu.org.imports.cli import ImportCommand


class Command(ImportCommand):
    help = ("Import people (one role in one unit per row) from an .xlsx or .csv file: every row is checked "
            "first; any problem is printed and nothing is written (exit 1); an unreadable file exits 2.")
    kind = "people"
