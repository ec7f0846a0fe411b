"""How the Python interpreter runs a long WeasyPrint render.

Two costs of CPython 3.11 that have nothing to do with the notice take up to half of a big
render, and both are avoided here:

- the cyclic garbage collector, run as WeasyPrint's millions of layout objects pile up,
  walks them again and again (a third of the render);
- Python frames live in 16 KB chunks of memory, and a chunk is unmapped as soon as the call
  stack falls back below it. WeasyPrint's layout recursion goes up and down thousands of
  times a page; where its depth swings across a chunk boundary, which depends only on how
  deep the caller happens to be, every swing maps and unmaps a chunk (measured: 180,000
  times and 0.8 s of system time for 1,000 rows, or 28,000 to 116,000 page faults for the
  same 300 rows depending on the caller's depth).
"""

import gc
import types
from contextlib import contextmanager


@contextmanager
def collection_paused():
    """The garbage collector paused, then run once over what the block left behind. Older
    objects are frozen meanwhile so that run does not walk them, unless something froze
    objects already (a server before forking its workers, or an enclosing block): that
    freeze is left as it was."""
    was_enabled, freezing = gc.isenabled(), gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
        if freezing:
            gc.unfreeze()


def _call(function):
    return function()


#: A frame asking for this many stack slots (a little over 512 KB) gets a 1 MB chunk of its
#: own, and the frames called from it fit in the rest of that chunk.
ROOMY_STACK_SLOTS = 65_600

_call_in_roomy_frame = types.FunctionType(
    _call.__code__.replace(co_stacksize=ROOMY_STACK_SLOTS), {}, "call_in_roomy_frame")


def with_room_on_the_stack(function):
    """`function()`, called from a frame whose stack chunk has room for deep recursion."""
    return _call_in_roomy_frame(function)
