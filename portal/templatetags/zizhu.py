from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def wan(amount):
    """Yuan as 万元 for reading (subsidy.money.format_wan): 12.5 → 0.00125."""
    from subsidy.money import format_wan

    return format_wan(amount or 0)


@register.filter
def change(percent):
    """A 同比 change for a table: +129.04%, -3.50%, or — when there is nothing to compare."""
    if percent is None:
        return "—"
    return f"{percent:+.2f}%"


@register.filter
def yuan(amount):
    """Yuan for a table, grouped by thousands: 1,234,567.80 (empty for no amount)."""
    if amount is None or amount == "":
        return ""
    return f"{amount:,.2f}"
