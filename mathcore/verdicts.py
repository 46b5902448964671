"""Whether a step lowered the loss, in the words the video says it: decided on exact values.

After a gradient step the video computes the loss (or the 2-2-2 network's error) again and
says whether it went down, went up, or stayed the same at the decimals shown. The words must
agree with the two numbers on screen, and those digits are each float's exact binary value
rounded half to even (what Python's formatting prints). So the decision rounds that same exact
value, as a ``Fraction``, never a float computation: ``round(x * 10**d)`` rounds 0.0295 * 1000
= 29.5 (the product rounded up to a tie) to 30, while 0.0295, a little less than it is written,
shows as 0.029. Nor the value as written (``exact.as_written``): 0.0295 as written is a tie that
rounds to 0.030, which is not what the screen shows.

The scenes choose the decimals (the CNN's loss: LOSS_DECIMALS, which a seeded draw is judged
by too); what the comparison says is decided here.
"""

from fractions import Fraction

DOWN, SAME, UP = "down", "same", "up"
SATURATED = "saturated"  # the same, because the outputs' sigmoids are flat: no gradient came back
LOSS_DECIMALS = 3  # the CNN's losses are shown, and compared, at this many places


def shown(value: float, decimals: int) -> Fraction:
    """The number ``value`` is shown as at ``decimals`` places, exactly: its binary value rounded
    half to even (``Fraction(float)`` is exact, and ``round`` of a Fraction rounds exactly)."""
    return round(Fraction(float(value)), decimals)


def change(before: float, after: float, decimals: int) -> str:
    """DOWN, UP, or SAME when the two show the same digits at ``decimals`` places."""
    was, now = shown(before, decimals), shown(after, decimals)
    if was == now:
        return SAME
    return DOWN if now < was else UP


def error_change(before: float, after: float, slopes, decimals: int) -> str:
    """``change`` of the error; SATURATED when it is the same because every output's sigmoid
    slope out (1 - out), in ``slopes``, shows as zero: the saturated outputs let no gradient back."""
    verdict = change(before, after, decimals)
    if verdict == SAME and all(shown(slope, decimals) == 0 for slope in slopes):
        return SATURATED
    return verdict
