"""The instructor's own recordings: one file per beat id, in any format ffmpeg reads.

Beat ``weight-update/03`` is spoken by the file ``weight-update-03.*`` of the takes folder
(``/`` becomes ``-``). A beat said in clauses, one per step (``narration.clauses``), is recorded
either one file per clause (``weight-update/04/2`` by ``weight-update-04-2.*``) or in one file,
``weight-update-04.*``, with the second each clause starts at listed beside it in TOML::

    # weight-update-04.starts.toml
    starts = [0.0, 1.9, 4.25]

so each step of the picture starts when its words do. The file is cut there into one clip per
clause (each then trimmed and levelled as any take). Starts that are not one per clause, not
increasing, or past the recording's end are refused in one line.
A take goes through the same trimming and loudness normalisation as the synthetic voices, so
a lecture mixing takes with synthetic sentences plays at one level; the result is cached under
the hash of the recording's bytes, so re-rendering reads each take once.

Refused with one line (``VoiceError``), before any take is used: every missing take, named all
together; two files for one beat; an empty file; a file ffmpeg cannot read; a silent one.

Before recording, or to see what is left to record, ``Takes.survey`` sorts a folder against a
script's beats (``convprop script --takes DIR``): found, missing, unusable (with its reason) or
too long. A beat lasts as long as its take and the pause after it, or its silent animation if
that is longer (``story.Story.beat``): a take longer than the animation makes the picture wait.
A take is too long when the picture would wait more than ``ALLOWANCE`` for it; ``survey_rows``
and ``markdown_table`` write what the survey found, per beat.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from convprop.scenes.voice import sound
from convprop.scenes.voice.clips import Clip, VoiceError
from convprop.scenes.voice.engines import file_hash
from convprop.scenes.voice.voice import Cache, cache_key
from convprop.scenes.workdir import scratch_dir


# Seconds the picture may stand still after its beat's animation while a take finishes: a breath
# at the end of a sentence reads as a pause; longer, the video seems to stall.
ALLOWANCE = 1.0


def longest_take(animation: float, pause: float) -> float:
    """The longest take a beat whose silent animation lasts ``animation`` seconds has room for:
    the take and the ``pause`` after it end at most ``ALLOWANCE`` past the animation."""
    return animation + ALLOWANCE - pause


STARTS = ".starts.toml"  # beside a beat recorded whole: when each of its clauses starts


def take_name(beat: str) -> str:
    """The file stem a beat's take has: 'weight-update/03' -> 'weight-update-03'."""
    return beat.strip("/").replace("/", "-")


def clause_of(clause: str) -> tuple[str, int] | None:
    """'weight-update/04/2' -> ('weight-update/04', 2); None for a beat's own id."""
    beat, _, n = clause.strip("/").rpartition("/")
    return (beat, int(n)) if beat.count("/") == 1 and n.isdigit() else None


def read_starts(path: Path, clauses: int) -> list[float]:
    """The clause starts of a starts file, in seconds; VoiceError (one line) naming what is wrong."""
    try:
        starts = tomllib.loads(path.read_text(encoding="utf-8"))["starts"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError) as err:
        raise VoiceError(f"'{path}' is not a starts file ({err}); write one line: starts = [0.0, 2.1, ...], "
                         "the second each clause starts at") from None
    if not isinstance(starts, list) or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in starts):
        raise VoiceError(f"'{path}': starts must be a list of seconds, e.g. starts = [0.0, 2.1]")
    if len(starts) != clauses:
        raise VoiceError(f"'{path}' lists {len(starts)} start{'s' if len(starts) != 1 else ''} for a beat said in "
                         f"{clauses} clauses; give one start per clause")
    if starts[0] < 0 or any(b <= a for a, b in zip(starts, starts[1:])):
        raise VoiceError(f"'{path}': the starts {starts} must be zero or more and increasing; give each clause's "
                         "start in order")
    return [float(x) for x in starts]


@dataclass
class Survey:
    """What a takes folder holds for a list of beats (``convprop script --takes`` prints it)."""

    found: dict[str, Clip] = field(default_factory=dict)  # beat -> its normalised take
    missing: list[str] = field(default_factory=list)
    too_long: dict[str, float] = field(default_factory=dict)  # beat -> seconds over its limit
    unusable: dict[str, str] = field(default_factory=dict)  # beat -> the one-line reason
    files: dict[str, Path] = field(default_factory=dict)  # beat -> its recording, found or unusable
    strays: list[Path] = field(default_factory=list)  # named for a scene of the beats, but for none of them

    def status(self, beat: str) -> str:
        """'found', 'too long', 'missing' or 'unusable'."""
        if beat in self.unusable:
            return "unusable"
        if beat in self.too_long:
            return "too long"
        return "found" if beat in self.found else "missing"


class Takes:
    """A voice made of recordings."""

    name = "takes"

    def __init__(self, folder: Path, cache: Cache):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise VoiceError(f"--voice takes:{folder}: '{folder}' is not a folder; give the folder of recordings")
        self.cache = cache

    def file(self, beat: str) -> Path | None:
        """The recording for ``beat``; None when there is none, VoiceError when there are two."""
        stem = take_name(beat)
        found = sorted(p for p in self.folder.iterdir() if p.is_file() and p.stem == stem)
        if len(found) > 1:
            raise VoiceError(f"beat {beat} has {len(found)} takes ({', '.join(p.name for p in found)}); "
                             "keep one")
        return found[0] if found else None

    def clip(self, beat: str, path: Path) -> Clip:
        """``path`` trimmed and normalised, from the cache when this recording was seen before."""
        if path.stat().st_size == 0:
            raise VoiceError(f"take '{path}' is empty; record beat {beat} again")
        key = cache_key("take", file_hash(path))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        with scratch_dir(self.cache.folder) as tmp:
            target = Path(tmp) / f"{key}.wav"
            try:
                sound.normalise(path, target)
            except sound.SoundError as err:
                raise VoiceError(f"take for beat {beat}: {err}; record it again") from None
            return self.cache.put(key, target)

    def say(self, text: str, beat: str = "") -> Clip:
        return self.speak([(beat, text)])[0]

    def speak(self, lines: list[tuple[str, str]]) -> list[Clip]:
        """A clip per line: its own take, or, for a clause of a beat recorded whole, its piece."""
        files = {beat: self.file(beat) for beat, _ in lines}
        clauses = {}  # beat recorded whole -> its clauses asked for, in order
        for clause, path in files.items():
            whole = clause_of(clause)
            if path is None and whole is not None and self.file(whole[0]) is not None:
                clauses.setdefault(whole[0], []).append(clause)
        missing = [take_name(beat) for beat, path in files.items() if path is None
                   and (clause_of(beat) or ("",))[0] not in clauses]
        if missing:
            shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
            raise VoiceError(f"{len(missing)} take{'s are' if len(missing) > 1 else ' is'} missing from "
                             f"'{self.folder}': {shown}; record them (any format ffmpeg reads, e.g. {missing[0]}.wav)")
        pieces = {}
        for beat, asked in clauses.items():
            pieces.update(zip(asked, self.pieces(beat, len(asked))))
        return [pieces[beat] if beat in pieces else self.clip(beat, files[beat]) for beat, _ in lines]

    def pieces(self, beat: str, count: int) -> list[Clip]:
        """Beat ``beat``'s take, recorded whole, cut at the starts listed beside it into ``count``
        clips, one per clause."""
        path = self.file(beat)
        starts_file = self.folder / (take_name(beat) + STARTS)
        if not starts_file.is_file():
            raise VoiceError(f"beat {beat} is said in {count} clauses and '{path.name}' is recorded whole; list "
                             f"when each starts in {starts_file.name} (starts = [0.0, ...]), or record "
                             f"{take_name(beat)}-1 to -{count}")
        starts = read_starts(starts_file, count)
        if path.stat().st_size == 0:
            raise VoiceError(f"take '{path}' is empty; record beat {beat} again")
        seconds = sound.any_duration(path)
        if starts[-1] >= seconds:
            raise VoiceError(f"'{starts_file}': clause {count} starts at {starts[-1]:g} s, after the take ends "
                             f"({seconds:.2f} s); give starts within the recording")
        clips = []
        for n, (start, end) in enumerate(zip(starts, [*starts[1:], None]), 1):
            key = cache_key("take-clause", file_hash(path), f"{start:.6f}", f"{end}")
            cached = self.cache.get(key)
            if cached is None:
                with scratch_dir(self.cache.folder) as tmp:
                    target = Path(tmp) / f"{key}.wav"
                    try:
                        sound.normalise(sound.excerpt(path, start, end, Path(tmp) / "clause.wav"), target)
                    except sound.SoundError as err:
                        raise VoiceError(f"take for beat {beat}, clause {n}: {err}; check {starts_file.name}") from None
                    cached = self.cache.put(key, target)
            clips.append(cached)
        return clips

    def survey(self, beats: list[str], longest: dict[str, float] | None = None,
               clauses: dict[str, list[float]] | None = None) -> Survey:
        """Which takes exist, are missing, unusable, or longer than ``longest[beat]`` seconds.

        A beat said in clauses (``clauses[beat]``: the longest take each clause has room for,
        ``clause_rooms``) is found when every clause has its take, from files of its own or from
        the beat's whole take and its starts, and too long by what its clauses overrun together."""
        survey = Survey()
        for beat in beats:
            if clauses and len(clauses.get(beat, ())) > 1:
                self.survey_clauses(survey, beat, clauses[beat])
                continue
            try:
                path = self.file(beat)
                if path is None:
                    survey.missing.append(beat)
                    continue
                survey.files[beat] = path
                clip = self.clip(beat, path)
            except VoiceError as err:
                survey.unusable[beat] = str(err)
                continue
            survey.found[beat] = clip
            if longest and beat in longest and clip.seconds > longest[beat]:
                survey.too_long[beat] = clip.seconds - longest[beat]
        survey.strays = self.strays(beats)
        return survey

    def survey_clauses(self, survey: Survey, beat: str, rooms: list[float]) -> None:
        ids = [f"{beat}/{n}" for n in range(1, len(rooms) + 1)]
        try:
            recorded = [path for path in (self.file(beat), *map(self.file, ids)) if path is not None]
            if not recorded:
                survey.missing.append(beat)
                return
            survey.files[beat] = recorded[0]
            clips = self.speak([(clause, "") for clause in ids])
        except VoiceError as err:
            survey.unusable[beat] = str(err)
            return
        survey.found[beat] = Clip(recorded[0], sum(clip.seconds for clip in clips))
        over = sum(max(0.0, clip.seconds - room) for clip, room in zip(clips, rooms))
        if over > 0:
            survey.too_long[beat] = over

    def strays(self, beats: list[str]) -> list[Path]:
        """Recordings named for a scene of ``beats`` but for no beat of it (a slip in the name,
        or a beat the scene no longer tells): no render would ever play them."""
        names = {take_name(beat) for beat in beats}
        scenes = {take_name(beat.split("/")[0]) + "-" for beat in beats}
        return sorted(p for p in self.folder.iterdir() if p.is_file() and any(p.stem.startswith(s) for s in scenes)
                      and p.stem not in names and p.name.removesuffix(STARTS) not in names and not any(p.stem.startswith(n + "-") for n in names))


def clause_rooms(starts: list[float], end: float, gap: float, pause: float) -> list[float]:
    """The longest take each clause of a beat has room for: its step runs from its start to the
    next (the last to the beat's ``end``), and is followed by ``gap`` (the last by ``pause``)."""
    steps = [b - a for a, b in zip(starts, [*starts[1:], end])]
    return [longest_take(step, gap) for step in steps[:-1]] + [longest_take(steps[-1], pause)]


def survey_rows(survey: Survey, animations: dict[str, float], longest: dict[str, float]) -> list[dict]:
    """One row per beat of ``animations`` (beat id -> its silent animation's seconds), in order:
    its take's file name, status, seconds and the room it has (``longest``), or why it is unusable."""
    rows = []
    for beat, animation in animations.items():
        clip, path = survey.found.get(beat), survey.files.get(beat)
        rows.append({
            "id": beat, "file": path.name if path else None, "status": survey.status(beat),
            "seconds": round(clip.seconds, 3) if clip else None, "animation": round(animation, 3),
            "longest": round(longest[beat], 3),
            "over": round(survey.too_long[beat], 3) if beat in survey.too_long else None,
            "problem": survey.unusable.get(beat),
        })
    return rows


def markdown_table(rows: list[dict], folder: Path) -> str:
    """The rows of ``survey_rows`` as a Markdown table, with a count of each status above it."""
    counts = {status: sum(row["status"] == status for row in rows) for status in ("found", "too long", "missing",
                                                                                  "unusable")}
    out = [f"# Takes in {folder}", "",
           ", ".join(f"{n} {status}" for status, n in counts.items()) + f" of {len(rows)} beats; a take is too long "
           f"when its picture would wait more than {ALLOWANCE:g} s for it.", "",
           "| Beat | Take | Status | Take (s) | Animation (s) | Longest take (s) | Note |",
           "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        note = row["problem"] or (f"{row['over']:.1f} s too long" if row["over"] else "")
        seconds = f"{row['seconds']:.1f}" if row["seconds"] is not None else ""
        cells = [row["id"], row["file"] or f"({take_name(row['id'])}.* missing)", row["status"], seconds,
                 f"{row['animation']:.1f}", f"{row['longest']:.1f}", note.replace("|", "\\|")]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def strays_line(strays: list[Path]) -> str:
    """The Markdown line naming recordings no beat plays ('' when there are none)."""
    return f"\nNo beat plays: {', '.join(p.name for p in strays)}; rename each to its beat's id.\n" if strays else ""
