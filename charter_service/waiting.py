"""What waits for a person: the list at the top of their space (/espace/).

Each package that knows of something a person must act on registers a provider, a function
of the user returning `WaitingItem`s about that user only, with `@waiting.provider` in a
module its `__init__` imports (as the signal subscribers are). The space collects them all
through `items_for`, which sorts them; no package needs to know which others take part.
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

Provider = Callable[[object], Iterable["WaitingItem"]]
_PROVIDERS: list[Provider] = []


class Urgency(enum.IntEnum):
    """The order of the list: a missed deadline first, then what only this person can do,
    then what waits on someone else and this person may chase."""

    LATE = 0
    TO_DO = 1
    FOLLOW_UP = 2


@dataclass(frozen=True)
class WaitingItem:
    kind: str  # a stable name for tests and CSS: "partner_invitation", "report_due"…
    urgency: Urgency
    since: datetime  # when it began to wait (or its deadline): the oldest first
    title: str  # what waits, in a sentence
    action: str  # what to do about it
    label: str  # the button's text
    url: str | None  # where it is done; None when nothing can be done here
    method: str = "get"  # "post": a button sending `fields` (with the CSRF token)
    fields: tuple[tuple[str, str], ...] = ()
    detail: str = ""  # someone's words to quote, e.g. the moderators' message
    status: str = ""  # a short label shown before the title (« en retard »)


def provider(function: Provider) -> Provider:
    """Register `function(user) -> iterable of WaitingItem`; returns it unchanged."""
    if function not in _PROVIDERS:
        _PROVIDERS.append(function)
    return function


def providers() -> tuple[Provider, ...]:
    return tuple(_PROVIDERS)


def items_for(user) -> list[WaitingItem]:
    """Everything that waits for `user`, the most urgent first, then the oldest."""
    items = [item for function in _PROVIDERS for item in function(user)]
    return sorted(items, key=lambda item: (item.urgency, item.since, item.kind, item.title))
