"""The shared query watchdog: armed callbacks fire once past their deadline, in deadline
order, and disarmed ones never do."""

from __future__ import annotations

import threading

from tandem.apps.analyst.watchdog import Watchdog


def test_fires_in_deadline_order_and_skips_disarmed() -> None:
    dog = Watchdog()
    fired: list[str] = []
    done = threading.Event()

    def record(name: str) -> None:
        fired.append(name)
        if name == "late":
            done.set()

    dog.arm(0.3, lambda: record("late"))
    dog.arm(0.05, lambda: record("early"))
    dropped = dog.arm(0.1, lambda: record("disarmed"))
    dog.disarm(dropped)
    assert done.wait(5)
    assert fired == ["early", "late"]


def test_a_failing_callback_does_not_stop_the_next() -> None:
    dog = Watchdog()
    done = threading.Event()

    def fail() -> None:
        raise RuntimeError("interrupt on a closed cursor")

    dog.arm(0.01, fail)
    dog.arm(0.05, done.set)
    assert done.wait(5)
