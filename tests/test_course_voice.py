"""A narrated course for real: `convprop course --voice espeak-ng` of one short scene at a tiny
input, built once for the module (about half a minute at low quality), with an edited script
whose first sentence is written with Unicode names.

Measured by ffprobe, ffmpeg and PyAV, never by the code that made it: every video of the folder
(lecture and clip, mp4 and webm) carries AAC or Opus at 48 kHz, at -16 LUFS integrated within
1 LU by ``ebur128``, as long as its picture to a frame; ``silencedetect`` finds speech starting
within 0.15 s of every caption cue; the captions, the clip's captions and the transcript are the
sentences said, as the script writes them. Then headless Chromium plays it from 127.0.0.1: the
video decodes sound, and the transcript's highlighted entry is the cue being spoken, as it plays
and after a seek.
"""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import av
import pytest

from tests.course_browser import browser  # noqa: F401 (a fixture the module's tests take)
from tests.course_browser import browser_available, console_errors, serve, wait_for

pytestmark = pytest.mark.xdist_group("course-voice")

CONVPROP = Path(sys.executable).parent / "convprop"
SCENE = "loss-gradient"
TINY = ("--input-size", "3", "--kernel-size", "2", "--stride", "1")
FPS = 15  # low quality
FRAME = 1 / FPS
TOLERANCE = 0.15
EDITED = "∂L/∂ŷ comes first: the loss changes with ŷ, and ŷ with its input s."  # beat 01, rewritten
SHOTS = os.environ.get("CONVPROP_SCREENSHOTS")  # a folder to keep the page's screenshot in, when set

needs_browser = pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")


@pytest.fixture(scope="module")
def narrated(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("course-voice")
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    script = work / "script.json"
    exported = subprocess.run([str(CONVPROP), "script", SCENE, *TINY, "--format", "json"], cwd=work, env=env,
                              capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    doc["beats"][0]["narration"] = EDITED
    script.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([str(CONVPROP), "course", "--scenes", SCENE, *TINY, "--voice", "espeak-ng", "--script",
                           str(script), "--output", "out", "--quiet"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["out"]
    return work / "out"


@pytest.fixture(scope="module")
def sentences(narrated) -> list[str]:
    """What the course must say: the exported script's sentences with this lesson's digits, the
    first as edited (it names no number)."""
    doc = json.loads((narrated.parent / "script.json").read_text(encoding="utf-8"))
    return [EDITED] + [beat["written"] for beat in doc["beats"][1:]]


def videos(folder: Path) -> list[Path]:
    return [folder / "lecture.mp4", folder / "lecture.webm", *sorted((folder / "clips").glob("*.mp4")),
            *sorted((folder / "clips").glob("*.webm"))]


def ffmpeg_err(*args) -> str:
    return subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", *map(str, args)], capture_output=True,
                          text=True).stderr


def picture_and_sound_seconds(path: Path) -> tuple[float, float, str, int]:
    """(frames over the frame rate, decoded samples over the sample rate, audio codec, sample rate)."""
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.demux(video=0) if _.size)
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        codec, rate = stream.codec_context.name, stream.codec_context.sample_rate
        samples = sum(frame.samples for frame in container.decode(audio=0))
    return frames / FPS, samples / rate, codec, rate


def cues(vtt: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue of a WebVTT file."""
    found = []
    for block in vtt.split("\n\n")[1:]:
        lines = [line for line in block.strip().splitlines() if line]
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        start, end = (sum(float(part) * 60 ** (2 - i) for i, part in enumerate(stamp.strip().split(":")))
                      for stamp in lines[timing].split("-->"))
        found.append((start, end, " ".join(lines[timing + 1:])))
    return found


def test_every_video_speaks_at_48khz_and_minus_16_lufs_as_long_as_its_picture(narrated):
    for video in videos(narrated):
        picture, sound, codec, rate = picture_and_sound_seconds(video)
        assert (codec, rate) == (("aac" if video.suffix == ".mp4" else "opus"), 48_000), video
        assert abs(sound - picture) <= FRAME, (video, sound, picture)
        summary = ffmpeg_err("-i", video, "-vn", "-af", "ebur128", "-f", "null", "-")
        integrated = float(re.search(r"Summary:.*?I:\s+(-?[0-9.]+) LUFS", summary, re.S).group(1))
        assert abs(integrated - (-16.0)) <= 1.0, (video, integrated)
    head = (narrated / "clips" / f"01-{SCENE}.mp4").read_bytes()[:4096]
    assert b"moov" in head and b"mdat" not in head  # the clip streams: its index first


def test_the_captions_are_the_sentences_said_each_where_its_speech_starts(narrated, sentences):
    captions = cues((narrated / "captions.vtt").read_text(encoding="utf-8"))
    assert [text for *_, text in captions] == sentences and sentences[0] == EDITED
    clip = cues((narrated / "clips" / f"01-{SCENE}.vtt").read_text(encoding="utf-8"))
    assert [text for *_, text in clip] == sentences
    page = html.unescape((narrated / "index.html").read_text(encoding="utf-8"))
    assert all(sentence in page for sentence in sentences) and "∂L/∂ŷ" in page
    err = ffmpeg_err("-i", narrated / "lecture.mp4", "-vn", "-af", "silencedetect=n=-50dB:d=0.3", "-f", "null", "-")
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    onsets = ([] if starts and starts[0] <= 0.001 else [0.0]) + ends
    for i, (at, _, _) in enumerate(captions):
        nearest = min(onsets, key=lambda t: abs(t - at))
        assert abs(nearest - at) <= TOLERANCE, f"cue {i + 1} at {at:.3f} s, speech starts at {nearest:.3f} s"
        if i:
            assert any(captions[i - 1][0] < s < at for s in starts), f"cue {i + 1} starts mid-sentence"
    manifest = json.loads((narrated / "manifest.json").read_text())
    assert manifest["config"]["voice"] == "espeak-ng"


PLAYING = ("var v = document.getElementById('video');"
           "var lit = Array.from(document.querySelectorAll('#transcript button.beat'))"
           "  .findIndex(b => b.getAttribute('aria-current') === 'true');"
           "var track = Array.from(v.textTracks).find(t => t.kind === 'captions');"
           "var cue = track && track.activeCues && track.activeCues[0];"
           "return {t: v.currentTime, paused: v.paused, muted: v.muted, volume: v.volume, src: v.currentSrc,"
           "        audio: v.webkitAudioDecodedByteCount, lit: lit,"
           "        active: cue ? Array.from(track.cues).indexOf(cue) : -1,"
           "        caption: document.getElementById('caption').textContent};")


def spoken_at(captions, seconds: float) -> int:
    return next((i for i, (start, end, _) in enumerate(captions) if start <= seconds < end), -1)


@needs_browser
def test_the_player_plays_the_sound_and_lights_the_sentence_being_said(browser, narrated, sentences, tmp_path):
    captions = cues((narrated / "captions.vtt").read_text(encoding="utf-8"))
    assert len(captions) >= 3
    with serve(narrated) as (base, _):
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})
        browser.get(base + "index.html")
        wait_for(browser, "return document.body.dataset.ready === 'true'")
        wait_for(browser, "return document.getElementById('video').readyState >= 1")
        console_errors(browser)  # noqa: B018 -- a fresh log for what follows
        browser.execute_script("document.getElementById('play').click()")
        # playing from the start: sound is decoded, and the first sentence is lit while it is said
        wait_for(browser, "var v = document.getElementById('video');"
                          "return !v.paused && v.currentTime > 0.5 && v.webkitAudioDecodedByteCount > 0", 60)
        state = browser.execute_script(PLAYING)
        assert state["src"] == base + "lecture.mp4" and not state["muted"] and state["volume"] > 0
        assert state["audio"] > 0
        assert state["lit"] == spoken_at(captions, state["t"]) == state["active"] == 0, state
        assert state["caption"] == sentences[0]
        # a seek into the middle of the last sentence lights it, and it stays lit as it plays on
        last = len(captions) - 1
        middle = (captions[last][0] + captions[last][1]) / 2
        browser.execute_script("document.getElementById('video').currentTime = arguments[0]", middle)
        wait_for(browser, "var v = document.getElementById('video');"
                          "return !v.seeking && !v.paused && v.currentTime > arguments[0] + 0.3", 60, middle)
        state = browser.execute_script(PLAYING)
        assert spoken_at(captions, state["t"]) == state["lit"] == state["active"] == last, state
        if SHOTS:
            browser.save_screenshot(str(Path(SHOTS) / "narrated-course-playing.png"))
        # back to the second sentence's start: the light follows the video's time back
        browser.execute_script("document.getElementById('video').currentTime = arguments[0]", captions[1][0] + 0.05)
        wait_for(browser, "var v = document.getElementById('video');"
                          "return !v.seeking && v.currentTime > arguments[0] && v.currentTime < arguments[1]",
                 60, captions[1][0], captions[1][1] - 0.3)
        wait_for(browser, "return document.querySelectorAll('#transcript button.beat')[1]"
                          ".getAttribute('aria-current') === 'true'", 10)
        state = browser.execute_script(PLAYING)
        assert spoken_at(captions, state["t"]) == state["lit"] == 1, state
        # M turns the sound off and the Sound button on again, the button saying which
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        button = browser.find_element(By.ID, "sound")
        assert button.get_attribute("aria-pressed") == "true" and button.get_attribute("aria-label") == "Sound on"
        browser.execute_script("document.getElementById('video').focus()")
        ActionChains(browser).send_keys("m").perform()
        shown = ("var v = document.getElementById('video'), b = document.getElementById('sound');"
                 "return v.muted === arguments[0] && b.getAttribute('aria-pressed') === arguments[1]"
                 "  && b.getAttribute('aria-label')")
        assert wait_for(browser, shown, 10, True, "false") == "Sound off"
        button.click()
        assert wait_for(browser, shown, 10, False, "true") == "Sound on"
        browser.execute_script("document.getElementById('video').pause()")
        assert console_errors(browser) == []
