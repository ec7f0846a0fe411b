from decimal import InvalidOperation

from django import template

from subsidy.money import format_rate, format_wan, format_yuan

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def wan(amount):
    """Yuan as 万元 for reading (subsidy.money.format_wan): 12.5 → 0.00125."""
    return format_wan(amount or 0)


@register.filter
def change(percent):
    """A 同比 change for a table: +129.04%, -3.50%, or — when there is nothing to compare."""
    if percent is None:
        return "—"
    return f"{percent:+.2f}%"


@register.filter
def yuan(amount):
    """Yuan as subsidy.money.format_yuan writes them: 1,234,567.80 (empty for no amount;
    anything not a number as it is)."""
    try:
        return format_yuan(amount)
    except (InvalidOperation, ValueError, TypeError):
        return amount


@register.filter
def rate(fraction):
    """A rate stored as a fraction as a percentage (subsidy.money.format_rate): 0.5 → 50%."""
    try:
        return format_rate(fraction)
    except (InvalidOperation, ValueError, TypeError):
        return fraction
