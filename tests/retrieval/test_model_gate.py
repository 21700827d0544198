"""The model's gate: one call at a time, and a question's call before any waiting ingestion call."""

from __future__ import annotations

import threading
import time

from retrieval.embeddings import ModelGate, NewsEmbeddings


def test_a_question_goes_before_ingestion_calls_that_waited_longer() -> None:
    gate = ModelGate()
    order: list[str] = []
    running = threading.Event()
    release = threading.Event()

    def call(name: str, background: bool, hold: threading.Event | None = None) -> None:
        def work() -> None:
            with gate.turn():
                order.append(name)
                running.set()
                if hold is not None:
                    assert hold.wait(30)

        if background:
            with NewsEmbeddings.in_background():
                work()
        else:
            work()

    first = threading.Thread(target=call, args=("ingestion 1", True, release))
    first.start()
    assert running.wait(30)  # ingestion holds the model
    waiting = [threading.Thread(target=call, args=(f"ingestion {i}", True)) for i in (2, 3)]
    for t in waiting:
        t.start()
    time.sleep(0.2)  # let them queue up first (the order below holds however long they took)
    question = threading.Thread(target=call, args=("question", False))
    question.start()
    time.sleep(0.2)
    assert order == ["ingestion 1"]  # one call at a time: everyone else still waits
    release.set()
    for t in [first, *waiting, question]:
        t.join(30)
    assert order[:2] == ["ingestion 1", "question"]
    assert sorted(order[2:]) == ["ingestion 2", "ingestion 3"]


def test_every_call_runs_on_the_gates_own_thread_whoever_asks() -> None:
    # OpenMP keeps a team of worker threads per calling thread: calls from several threads would leave
    # several teams behind and slow every later call (see ModelGate).
    gate = ModelGate()
    ran_on: list[int] = []
    callers = [
        threading.Thread(target=lambda: ran_on.append(gate.run(threading.get_ident))) for _ in range(4)
    ]
    for t in callers:
        t.start()
    ran_on.append(gate.run(threading.get_ident))
    for t in callers:
        t.join(30)
    assert len(ran_on) == 5
    assert len(set(ran_on)) == 1
    assert ran_on[0] not in {t.ident for t in callers} | {threading.get_ident()}


def test_a_call_that_fails_raises_in_its_caller_and_the_gate_stays_open() -> None:
    gate = ModelGate()

    def boom() -> None:
        raise RuntimeError("engine failed")

    try:
        gate.run(boom)
    except RuntimeError as exc:
        assert str(exc) == "engine failed"
    else:
        raise AssertionError("the engine's error was swallowed")
    assert gate.run(lambda: 42) == 42
