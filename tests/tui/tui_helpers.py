"""Driving the app with Pilot: wait for its work, press keys, type text.

Pilot's own ``press`` waits for the whole process to look idle (at least
60 ms of sleeping per key, more on a busy machine).  These helpers post each
key and then wait for what actually matters: every message queue of the app
and the open screen drained, what was to run after the next frame run, and
no worker of the app still running, seen twice in a row.  That is a stricter
wait than Pilot's, and a few times faster.

Public Textual throughout (Pilot.pause, MessagePump.wait_for_refresh and
message_queue_size, App.workers, App.notify, App.push_screen_wait,
keys.key_to_character), but for two things Textual 8 has no public way to do;
they are reached here and nowhere else, and textual is pinned to one major
version (>=8,<9) so that a change there shows up as a deliberate upgrade:

* ``keys._character_to_key``: the key name of a character typed ("@" is
  "at"), as a terminal sends it.  Pilot.press uses the same function (through
  the private App._press_keys); Textual exports only the other direction
  (key_to_character).
* ``Screen._compositor`` and ``Screen._on_timer_update``: the characters on
  the terminal.  App.export_screenshot gives them only as SVG (text cut into
  styled spans), and Pilot.pause draws the frame only as it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, key_to_character
from textual.pilot import Pilot
from textual.worker import WorkerState, get_current_worker

_DIALOG_WAITS: weakref.WeakKeyDictionary[Any, set[Any]] = weakref.WeakKeyDictionary()


def _dialog_waits(app: Any) -> set[Any]:
    """The workers of the app waiting for a dialog's answer, seen through the
    public ``push_screen_wait``: wrapped on the app the first time settle sees
    it (which the tests do as the app starts, before any dialog)."""
    waits = _DIALOG_WAITS.get(app)
    if waits is None:
        waits = _DIALOG_WAITS[app] = set()
        real_push_screen_wait = app.push_screen_wait

        async def push_screen_wait(screen: Any, *args: Any, **kwargs: Any) -> Any:
            worker = get_current_worker()  # Textual lets only a worker wait for a screen
            waits.add(worker)
            try:
                return await real_push_screen_wait(screen, *args, **kwargs)
            finally:
                waits.discard(worker)

        app.push_screen_wait = push_screen_wait
    return waits


def _busy_workers(app: Any) -> list[Any]:
    busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
    # The app's periodic look for other writers, and work parked on a dialog the
    # test has not answered yet, are not work in hand.
    waiting = _dialog_waits(app)
    return [w for w in busy if w.group != "poll" and w not in waiting]


def _queues_empty(app: Any) -> bool:
    # A callback a node calls next (call_next) while it waits for nothing posts
    # a message too, so the queues tell it; one posted in the middle of a
    # handler runs before Pilot.pause's own callback, which settle awaits.
    return not any(n.message_queue_size for n in [app, *app.screen.walk_children(with_self=True)])


async def _refreshed(app: Any) -> None:
    """Wait until the screen has run what was to run after its next frame
    (call_after_refresh): Textual runs those in order, so ours comes last."""
    with contextlib.suppress(TimeoutError):  # a screen closed meanwhile runs none
        await asyncio.wait_for(app.screen.wait_for_refresh(), 1.0)


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until the app has loaded and saved all it was asked to (dialogs may stay open)."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 2:
        await pilot.pause(0)  # every queue drained once
        busy = _busy_workers(app)
        if not busy and _queues_empty(app):
            await _refreshed(app)  # it may start more: the next round looks again
            calm += 1
            await asyncio.sleep(0)
            continue
        calm = 0
        if time.monotonic() > deadline:
            raise AssertionError(f"the app is still busy with {busy}")
        await asyncio.sleep(0.002)


def _key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` (as Pilot.press builds it)."""
    if len(key) == 1 and not key.isalnum():
        # A character typed ("@", "-") goes by its key's name, as from a
        # terminal; Textual's own mapping (Pilot.press uses it) is private.
        key = _character_to_key(key)
    return events.Key(key, key_to_character(REPLACED_KEYS.get(key, key)))


def record_notices(app: Any) -> None:
    """Keep every notification the app shows (read them with ``notices``).

    Through the public ``notify``, which every widget's ``notify`` calls.
    """
    shown: list[tuple[str, str]] = []
    real_notify = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append((kwargs.get("title", ""), message))  # App.notify's title is keyword-only
        real_notify(message, *args, **kwargs)

    app.notify = notify
    _NOTICES[app] = shown


_NOTICES: weakref.WeakKeyDictionary[Any, list[tuple[str, str]]] = weakref.WeakKeyDictionary()


def notices(pilot: Any, *, title: str | None = None) -> list[str]:
    """The messages of the notifications shown so far (those with ``title``), oldest first."""
    return [m for t, m in _NOTICES[pilot.app] if title is None or t == title]


def screen_text(pilot: Any) -> str:
    """The characters on the terminal now (toasts included).

    Private Textual (see the top of this module): no public text of the screen.
    """
    pilot.app.screen._on_timer_update()  # draw what changed since the last frame
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


def dialog_lines(pilot: Any, *, strip: bool = True) -> list[str]:
    """The lines inside the (top) dialog's frame, as shown."""
    return [
        (lambda inside: inside.strip() if strip else inside)(
            line[line.index("│") + 1 : line.rindex("│")]
        )
        for line in screen_text(pilot).splitlines()
        if line.count("│") >= 2
    ]


async def send_keys(pilot: Pilot[Any], *keys: str) -> None:
    """Post keys as fast as a typist on a slow machine: no wait between them."""
    app = pilot.app
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        app.post_message(event)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one by one, letting the app finish what each asks for."""
    for key in keys:
        await send_keys(pilot, key)
        await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key (what as-you-type checks see)."""
    await press(pilot, *[{" ": "space"}.get(c, c) for c in text])


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` as the terminal delivers a paste (one event, quicker than typing)."""
    event = events.Paste(text)
    event.set_sender(pilot.app)
    pilot.app.post_message(event)
    await settle(pilot)
