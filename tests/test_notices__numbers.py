"""Document numbers: one gapless sequence per issuer prefix and year, safe under concurrency."""

import threading

import pytest
from django.db import connections, transaction

from notices.models import DocumentSequence
from notices.numbers import allocate

from .helpers import PATIENCE


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_issues_get_50_consecutive_numbers():
    barrier = threading.Barrier(10)
    numbers, errors = [], []

    def issue_five():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(allocate("衡市监办", 2021))
        except Exception as exc:  # the outcome is what the test asserts on
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_five) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PATIENCE)
    assert not any(t.is_alive() for t in threads), "an issuing thread did not finish"
    assert not errors
    assert sorted(numbers) == list(range(1, 51))
    assert DocumentSequence.objects.get(prefix="衡市监办", year=2021).last == 50


@pytest.mark.django_db
def test_sequences_are_per_prefix_and_year_and_a_rollback_leaves_no_gap():
    with transaction.atomic():
        assert allocate("衡市监办", 2021) == 1
        assert allocate("衡市监办", 2022) == 1
        assert allocate("衡市监发", 2021) == 1
    try:
        with transaction.atomic():
            assert allocate("衡市监办", 2021) == 2
            raise RuntimeError("the issue failed after allocating")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert allocate("衡市监办", 2021) == 2  # given back, not skipped
