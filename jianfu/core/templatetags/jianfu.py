"""Template filters shared by the pages."""

from django import template

register = template.Library()


@register.filter
def signed_percent(value) -> str:
    """+5.0% / −45.7% (a true minus sign) / — when there is nothing to compare with."""
    if value is None or value == "":
        return "—"
    number = float(value)
    if number > 0:
        return f"+{number:.1f}%"
    if number < 0:
        return f"\u2212{abs(number):.1f}%"
    return "0.0%"


@register.filter
def hours(minutes) -> str:
    """Minutes as hours with one decimal, rounded as every figure of burden hours is (round half to even on
    the hundredths the float carries), so a row and a total read the same way."""
    if minutes in (None, ""):
        return "—"
    return f"{round(float(minutes) / 60, 1):.1f}"
