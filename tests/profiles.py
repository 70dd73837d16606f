"""Hypothesis's settings for this suite, and how many examples each property draws.

Two profiles, both without a deadline or the too-slow health check (they go by
the wall clock, and on a busy machine they fail tests whose code is correct):

- ``prayerdoc``, the default: each property draws the count its test names, a
  hundred or more where an example is cheap, fewer where one example parses and
  writes a whole archive or page. The whole suite stays within a minute and a
  half on two cores, and every run draws new examples.
- ``thorough`` (``python -m pytest --hypothesis-profile=thorough``): ten times as
  many examples of every property, for a longer search after a change to the
  parser, a reader or a writer.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["examples"]

# The count of a test that names none; the counts tests name scale with it.
_DEFAULT = 100

settings.register_profile(
    "prayerdoc",
    max_examples=_DEFAULT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("prayerdoc"), max_examples=10 * _DEFAULT
)
settings.load_profile("prayerdoc")


def examples(count: int) -> int:
    """``count`` examples under the default profile, as many times more as the profile loaded asks.

    Called when a test module is imported, which is after the profile named on
    the command line is loaded.
    """
    return max(1, count * settings().max_examples // _DEFAULT)
