"""The --seeds option: which versions of the exercises to make."""

import re

from convprop.mathcore import ConfigError

MAX_SEEDS = 10_000


def parse_seeds(text: str) -> tuple[int, ...]:
    """'1-30' -> 1..30; '4' -> 4; '1,5,9-11' -> 1, 5, 9, 10, 11. Sorted, each once.

    ConfigError (one line, saying how to fix it) for a backward range, words, or more than
    MAX_SEEDS seeds.
    """
    seeds: set[int] = set()
    for part in str(text).split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ConfigError(f"--seeds '{text}' is not a seed or a range of seeds; write e.g. 1-30 or 1,4,7-9")
        first = int(match[1])
        last = int(match[2]) if match[2] is not None else first
        if last < first:
            raise ConfigError(f"--seeds range {first}-{last} runs backwards; write {last}-{first}")
        if last - first + 1 > MAX_SEEDS or len(seeds) + (last - first + 1) > MAX_SEEDS:
            raise ConfigError(f"--seeds '{text}' asks for more than {MAX_SEEDS:,} versions; ask for fewer")
        seeds.update(range(first, last + 1))
    if len(seeds) > MAX_SEEDS:
        raise ConfigError(f"--seeds '{text}' asks for more than {MAX_SEEDS:,} versions; ask for fewer")
    return tuple(sorted(seeds))
