"""`manage.py lifecycles`: print every category's state machine as JSON or Graphviz."""

import json

from django.core.management.base import BaseCommand

from subsidy.models import Category
from workflows.lifecycle import get_lifecycle
from workflows.stages import state_label


def category_lifecycles() -> list[dict]:
    """[{code, name, kind, lifecycle, states, transitions}] for every category, in code order."""
    out = []
    for category in Category.objects.order_by("code"):
        lc = category.lifecycle
        definition = get_lifecycle(lc)
        data = definition.as_dict()
        out.append({"code": category.code, "name": category.name, "kind": definition.kind,
                    "lifecycle": lc, "states": data["states"],
                    "transitions": [{"name": t["name"], "source": t["source"],
                                     "target": t["target"]} for t in data["transitions"]]})
    return out


def to_dot(items: list[dict]) -> str:
    """One Graphviz cluster per category."""
    lines = ["digraph lifecycles {", "  rankdir=LR;",
             '  node [shape=box, fontname="Noto Sans CJK SC"];']
    for item in items:
        prefix = f"c{item['code']}"
        lines.append(f'  subgraph cluster_{prefix} {{ label="{item["code"]} {item["name"]}";')
        for state in item["states"]:
            lines.append(f'    {prefix}_{state} [label="{state_label(state)}"];')
        for t in item["transitions"]:
            target = t["target"]
            if target.startswith("@"):
                lines.append(f'    {prefix}_{t["source"]} -> {prefix}_{t["source"]} '
                             f'[label="{t["name"]} (返回原阶段)", style=dashed];')
                continue
            lines.append(f'    {prefix}_{t["source"]} -> {prefix}_{target} [label="{t["name"]}"];')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print each category's lifecycle (states and transitions) as JSON or Graphviz dot."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "dot"], default="json")

    def handle(self, *args, **options):
        items = category_lifecycles()
        if options["format"] == "dot":
            self.stdout.write(to_dot(items))
        else:
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=2))
