from jianfu.org.imports.cli import ImportCommand


class Command(ImportCommand):
    help = ("Import units from an .xlsx or .csv file: every row is checked first; any problem is printed "
            "and nothing is written (exit 1); an unreadable file exits 2.")
    kind = "units"
