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


def test_a_questions_two_passes_run_side_by_side_and_ingestion_runs_alone() -> None:
    gate = ModelGate(side_by_side=2)
    inside: list[str] = []
    entered = threading.Semaphore(0)
    release = threading.Event()

    def call(name: str, background: bool) -> None:
        def work() -> None:
            with gate.turn():
                inside.append(name)
                entered.release()
                assert release.wait(30)
                inside.remove(name)

        if background:
            with NewsEmbeddings.in_background():
                work()
        else:
            work()

    passes = [threading.Thread(target=call, args=(name, False)) for name in ("dense", "sparse")]
    for t in passes:
        t.start()
    assert entered.acquire(timeout=30) and entered.acquire(timeout=30)
    assert sorted(inside) == ["dense", "sparse"]  # both at once
    ingestion = threading.Thread(target=call, args=("ingestion", True))
    third = threading.Thread(target=call, args=("another question", False))
    ingestion.start()
    third.start()
    time.sleep(0.2)
    assert sorted(inside) == ["dense", "sparse"]  # no third call beside two, nor ingestion beside any
    release.set()
    for t in [*passes, ingestion, third]:
        t.join(30)
    assert not inside


def test_ingestion_holds_questions_back_only_for_the_call_it_runs() -> None:
    gate = ModelGate(side_by_side=2)
    order: list[str] = []
    running = threading.Event()
    release = threading.Event()

    def ingestion() -> None:
        with NewsEmbeddings.in_background(), gate.turn():
            order.append("ingestion")
            running.set()
            assert release.wait(30)

    def question() -> None:
        with gate.turn():
            order.append("question")

    first = threading.Thread(target=ingestion)
    first.start()
    assert running.wait(30)
    asking = threading.Thread(target=question)
    asking.start()
    time.sleep(0.2)
    assert order == ["ingestion"]  # a background call runs alone
    release.set()
    for t in (first, asking):
        t.join(30)
    assert order == ["ingestion", "question"]
