"""Lifecycle definitions: reading them from TOML files and checking that they make sense.

A lifecycle lists the states a category passes through and the transitions between them,
each with the permission rule and guards (by registered name) that apply to it. The engine
interprets it; nothing here knows about subsidies.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from .stages import PREVIOUS_STAGE, TRANSITION_LABELS, State, transition_label


class LifecycleError(ValueError):
    """A lifecycle definition is malformed or describes an unusable state machine."""


@dataclass(frozen=True)
class TransitionSpec:
    """One arrow of a lifecycle: `name` takes an application from `source` to `target`."""

    name: str
    source: str
    target: str
    permission: str
    guards: tuple[str, ...] = ()
    comment_required: bool = False
    params: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return transition_label(self.name)

    def resolve_target(self, returned_from: str) -> str:
        """The concrete target state; `@previous` resolves to the stage returned from."""
        return returned_from if self.target == PREVIOUS_STAGE else self.target


@dataclass(frozen=True)
class Lifecycle:
    """A validated state machine for one kind of category."""

    key: str
    label: str
    kind: str
    description: str
    states: tuple[str, ...]
    initial: str
    terminal: frozenset[str]
    transitions: tuple[TransitionSpec, ...]
    _index: dict = field(default_factory=dict, repr=False, compare=False)
    _by_source: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        by_source = defaultdict(list)
        for spec in self.transitions:
            self._index[(spec.name, spec.source)] = spec
            by_source[spec.source].append(spec)
        self._by_source.update(by_source)

    def find(self, name: str, source: str) -> TransitionSpec | None:
        """The transition called `name` out of `source`, or None if this lifecycle has none."""
        return self._index.get((name, source))

    def outgoing(self, source: str) -> list[TransitionSpec]:
        """Transitions that leave `source`, in definition order."""
        return self._by_source.get(source, [])

    def edges(self):
        """(source, target) pairs with `@previous` expanded to every stage that can return."""
        returning = {s.source for s in self.transitions if s.target == State.RETURNED}
        for spec in self.transitions:
            if spec.target == PREVIOUS_STAGE:
                for stage in returning:
                    yield spec.source, stage
            else:
                yield spec.source, spec.target

    def permission_names(self) -> set[str]:
        return {spec.permission for spec in self.transitions}

    def guard_names(self) -> set[str]:
        return {g for spec in self.transitions for g in spec.guards}

    def as_dict(self) -> dict:
        """A JSON-ready description (used by the API and `manage.py lifecycles`)."""
        return {
            "key": self.key,
            "kind": self.kind,
            "states": list(self.states),
            "initial": self.initial,
            "terminal": sorted(self.terminal, key=self.states.index),
            "transitions": [
                {
                    "name": spec.name,
                    "label": spec.label,
                    "source": spec.source,
                    "target": spec.target,
                    "permission": spec.permission,
                    "guards": list(spec.guards),
                    "comment_required": spec.comment_required,
                    "params": list(spec.params),
                }
                for spec in self.transitions
            ],
        }


def parse_lifecycle(key: str, data: dict) -> Lifecycle:
    """Build a Lifecycle from the parsed TOML of one file and validate it."""
    try:
        states = tuple(data["states"])
        transitions = []
        for raw in data["transitions"]:
            sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
            unknown = set(raw) - {"name", "source", "target", "permission", "guards",
                                  "comment_required", "params"}
            if unknown:
                raise LifecycleError(f"{key}: unknown keys {sorted(unknown)} in {raw['name']}")
            for source in sources:
                transitions.append(TransitionSpec(
                    name=raw["name"],
                    source=source,
                    target=raw["target"],
                    permission=raw["permission"],
                    guards=tuple(raw.get("guards", ())),
                    comment_required=bool(raw.get("comment_required", False)),
                    params=tuple(raw.get("params", ())),
                ))
        lifecycle = Lifecycle(
            key=key,
            label=data["label"],
            kind=data["kind"],
            description=data.get("description", "").strip(),
            states=states,
            initial=data.get("initial", State.DRAFT),
            terminal=frozenset(data["terminal"]),
            transitions=tuple(transitions),
        )
    except KeyError as missing:
        raise LifecycleError(f"{key}: missing key {missing}") from None
    validate_lifecycle(lifecycle)
    return lifecycle


def validate_lifecycle(lc: Lifecycle) -> None:
    """Refuse a lifecycle that has unknown names, unreachable states or dead ends."""
    known_states = set(State.values)
    problems = [f"unknown state {s!r}" for s in lc.states if s not in known_states]
    if len(set(lc.states)) != len(lc.states):
        problems.append("a state is listed twice")
    listed = set(lc.states)
    if lc.initial not in listed:
        problems.append(f"initial state {lc.initial!r} is not listed")
    problems += [f"terminal state {s!r} is not listed" for s in lc.terminal - listed]
    seen = set()
    for spec in lc.transitions:
        where = f"{spec.name} from {spec.source}"
        if spec.name not in TRANSITION_LABELS:
            problems.append(f"{where}: unknown transition name")
        if spec.source not in listed:
            problems.append(f"{where}: source is not a state of this lifecycle")
        if spec.target != PREVIOUS_STAGE and spec.target not in listed:
            problems.append(f"{where}: target {spec.target!r} is not a state of this lifecycle")
        if spec.target == PREVIOUS_STAGE and spec.source != State.RETURNED:
            problems.append(f"{where}: only the returned state may go back to {PREVIOUS_STAGE}")
        if spec.source in lc.terminal:
            problems.append(f"{where}: leaves a terminal state")
        if (spec.name, spec.source) in seen:
            problems.append(f"{where}: defined twice")
        seen.add((spec.name, spec.source))
    if problems:
        raise LifecycleError(f"lifecycle {lc.key!r}: " + "; ".join(problems))

    forward = defaultdict(set)
    backward = defaultdict(set)
    for source, target in lc.edges():
        forward[source].add(target)
        backward[target].add(source)
    reachable = _closure({lc.initial}, forward)
    unreachable = [s for s in lc.states if s not in reachable]
    if unreachable:
        problems.append(f"states not reachable from {lc.initial!r}: {unreachable}")
    finishing = _closure(set(lc.terminal), backward)
    stuck = [s for s in lc.states if s not in finishing]
    if stuck:
        problems.append(f"states from which no terminal state can be reached: {stuck}")
    if problems:
        raise LifecycleError(f"lifecycle {lc.key!r}: " + "; ".join(problems))


def _closure(start: set[str], graph: dict[str, set[str]]) -> set[str]:
    seen, queue = set(start), deque(start)
    while queue:
        for nxt in graph[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


@cache
def lifecycles() -> dict[str, Lifecycle]:
    """Every lifecycle found in settings.WORKFLOWS_LIFECYCLE_DIRS, keyed by file stem."""
    found = {}
    for directory in settings.WORKFLOWS_LIFECYCLE_DIRS:
        for path in sorted(Path(directory).glob("*.toml")):
            with path.open("rb") as fh:
                found[path.stem] = parse_lifecycle(path.stem, tomllib.load(fh))
    return found


def get_lifecycle(key: str) -> Lifecycle:
    """The lifecycle called `key`; LifecycleError if there is none."""
    try:
        return lifecycles()[key]
    except KeyError:
        raise LifecycleError(f"no lifecycle called {key!r}") from None
