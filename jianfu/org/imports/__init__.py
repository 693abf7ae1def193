"""Importing units and people from .xlsx or .csv: read safely, check every row, apply all-or-nothing."""
