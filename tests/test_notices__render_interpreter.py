"""A long render runs with the garbage collector paused and its call stack in one roomy
chunk (`notices.interpreter`): both states are restored afterwards, and a call stack that
swings up and down across CPython's 16 KB frame chunks no longer maps memory each time."""

import gc
import resource

import pytest

from notices.interpreter import collection_paused, with_room_on_the_stack


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collection_is_paused_for_a_render_and_restored(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with collection_paused():
            assert not gc.isenabled() and gc.get_freeze_count() > 0
        assert gc.isenabled() is enabled and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_freeze_made_before_is_left_as_it_was():
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with collection_paused(), collection_paused():
            assert not gc.isenabled()
        # still frozen (a few frozen objects may have been freed meanwhile)
        assert gc.get_freeze_count() > frozen * 0.9 and gc.isenabled()
    finally:
        gc.unfreeze()


def test_the_roomy_frame_returns_and_raises_like_the_function():
    assert with_room_on_the_stack(lambda: "值") == "值"
    with pytest.raises(ZeroDivisionError):
        with_room_on_the_stack(lambda: 1 / 0)


def _descend(depth: int) -> int:
    return 0 if depth == 0 else _descend(depth - 1)


def _from_depth(base: int, swing) -> None:
    if base:
        _from_depth(base - 1, swing)
    else:
        swing()


def _page_faults(function) -> int:
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


def _swings_from_every_depth() -> None:
    """From each starting depth across a whole chunk, go 40 calls deeper and back 200 times:
    from some of them every swing crosses into a new chunk."""
    for base in range(150):
        _from_depth(base, lambda: [_descend(40) for _ in range(200)])


def test_a_swinging_call_stack_maps_no_memory_in_the_roomy_frame():
    plain = _page_faults(_swings_from_every_depth)
    roomy = _page_faults(lambda: with_room_on_the_stack(_swings_from_every_depth))
    assert plain > 1000 and roomy < plain / 20, (plain, roomy)
