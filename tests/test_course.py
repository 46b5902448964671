"""convprop course, rendered once for the whole module (two short scenes, low quality), then
checked as files and played in headless Chromium, served on 127.0.0.1 and opened from file://.

No test measures speed; waits are for the video to reach a state, bounded only by a timeout.
"""

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import av
import numpy as np
import pytest

from tests.course_browser import browser  # noqa: F401 (a fixture the module's tests take)
from tests.course_browser import browser_available, chromium, console_errors, requested_urls, serve, wait_for

pytestmark = pytest.mark.xdist_group("course")

ROOT = Path(__file__).resolve().parent.parent
SCENES = ("loss-gradient", "chain-rule")
TINY = ("--input-size", "3", "--kernel-size", "2", "--stride", "1")  # a short course: the folder's rules hold for any lesson
FPS = 15  # low quality
FRAME = 1 / FPS

needs_browser = pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("course")
    folder = work / "course"
    done = subprocess.run([sys.executable, "-c", "from convprop import cli; cli.main()", "course", "--scenes", ",".join(SCENES),
                           *TINY, "--quality", "low", "--output", str(folder)],
                          cwd=work, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(folder)]
    return folder


@pytest.fixture(scope="module")
def manifest(course) -> dict:
    return json.loads((course / "manifest.json").read_text())


@pytest.fixture(scope="module")
def server(course):
    with serve(course) as (base, requests):
        yield base, requests


@pytest.fixture(scope="module")
def plain_server(course):
    """Python's own http.server, as ``python3 -m http.server`` runs it: no byte ranges."""
    with serve(course, ranges=False) as (base, requests):
        yield base, requests


@pytest.fixture(scope="module", params=["byte ranges", "no byte ranges"])
def any_server(request, course):
    """A web host that answers byte ranges, and Python's own http.server, which does not."""
    with serve(course, ranges=request.param == "byte ranges") as (base, requests):
        yield base, request.param == "byte ranges"


@pytest.fixture(scope="module")
def title_bands(course) -> tuple[np.ndarray, np.ndarray]:
    """(time of every frame of lecture.mp4, the frame's top band, where a scene's title stands)."""
    times, bands = [], []
    with av.open(str(course / "lecture.mp4")) as container:
        for frame in container.decode(video=0):
            picture = frame.to_ndarray(format="rgb24")
            times.append(float(frame.pts * frame.time_base))
            bands.append(picture[: picture.shape[0] * 8 // 100].astype(np.int16))
    return np.array(times), np.array(bands)


def band_shown_at(title_bands, seconds: float) -> np.ndarray:
    """The title band of the frame a player shows at ``seconds``: the last one to start by then."""
    times, bands = title_bands
    return bands[np.searchsorted(times, seconds + 1e-4, side="right") - 1]


def assert_on_first_picture(title_bands, chapter: dict, seconds: float):
    """``seconds`` is a little past the chapter's empty first frame, on a picture that holds:
    its title stands lit and as it stands half a second later (its fade has ended)."""
    assert chapter["start"] < seconds <= chapter["start"] + 1, (chapter, seconds)
    lit = lambda band: int((band.max(axis=-1) > 60).sum())  # noqa: E731
    assert lit(band_shown_at(title_bands, chapter["start"])) == 0  # the empty stage the jump skips
    here = band_shown_at(title_bands, seconds)
    assert lit(here) > 100
    assert np.abs(here - band_shown_at(title_bands, seconds + 0.5)).max() <= 16  # the codec's noise, no fade


def duration(path: Path) -> float:
    with av.open(str(path)) as container:
        return container.duration / av.time_base


def vtt_cues(text: str) -> list[tuple[str, str, str]]:
    """(start, end, text) of every cue of a WebVTT file."""
    assert text.startswith("WEBVTT\n")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.strip().splitlines() if line]
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        start, end = (part.strip() for part in lines[timing].split("-->"))
        cues.append((start, end, " ".join(lines[timing + 1:])))
    return cues


def seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


# -- the folder ---------------------------------------------------------------------------

def test_the_folder_holds_every_file_and_nothing_half_written(course, manifest):
    slugs = [f"{n:02d}-{name}" for n, name in enumerate(SCENES, start=1)]
    expected = {"index.html", "player.js", "player.css", "clip.js", "course-data.js", "lecture.mp4", "lecture.webm",
                "poster.jpg", "captions.vtt", "chapters.vtt", "manifest.json", "scorm.zip",
                "explorer.html", "explorer.js", "explorer-compute.js", "explorer.css"}
    expected |= {f"clips/{slug}.{ext}" for slug in slugs for ext in ("mp4", "webm", "vtt", "jpg", "html")}
    present = {p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()}
    exercises = {p for p in present if p.startswith("exercises/")}  # when the exercises package is there
    assert present - exercises == expected
    page = (course / "index.html").read_text()
    assert all(f'href="{p}"' in page for p in exercises)
    assert 'href="explorer.html"' in page and all(f'href="explorer.html#at={name}"' in page for name in SCENES)
    assert sorted(p.name for p in course.parent.iterdir()) == ["course"]  # no staging folder left
    assert [c["slug"] for c in manifest["chapters"]] == slugs
    assert (course / "poster.jpg").read_bytes()[:3] == b"\xff\xd8\xff"


def test_mp4_is_h264_yuv420p_with_its_index_first_and_webm_is_vp9_of_the_same_length(course):
    mp4 = course / "lecture.mp4"
    with av.open(str(mp4)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
    head = mp4.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < 200 and head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
    with av.open(str(course / "lecture.webm")) as container:
        assert container.streams.video[0].codec_context.name == "vp9"
    assert abs(duration(course / "lecture.webm") - duration(mp4)) <= FRAME
    clips = sorted((course / "clips").glob("*.mp4"))
    assert abs(sum(map(duration, clips)) - duration(mp4)) <= FRAME * len(clips)
    for clip in clips:
        assert abs(duration(clip.with_suffix(".webm")) - duration(clip)) <= FRAME
    for video in (mp4, course / "lecture.webm", *clips, *(clip.with_suffix(".webm") for clip in clips)):
        with av.open(str(video)) as container:
            assert not container.streams.audio, f"{video.name} has sound, and no --voice was given"


def test_manifest_sizes_and_sha256_match_every_file(course, manifest):
    files = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(files) == on_disk
    for path, entry in files.items():
        data = (course / path).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["seed"] == 0 and manifest["config"]["seed"] == 0
    assert manifest["config"]["input_size"] == [3, 3] and manifest["scenes"] == list(SCENES)


def test_captions_have_one_cue_per_beat_and_chapters_one_per_section(course, manifest):
    cues = vtt_cues((course / "captions.vtt").read_text())
    assert [c[2] for c in cues] == [b["caption"] for b in manifest["beats"]]
    assert len(cues) >= 2 * len(SCENES)
    for (start, end, _), beat in zip(cues, manifest["beats"]):
        assert abs(seconds(start) - beat["start"]) < 1e-3 and abs(seconds(end) - beat["end"]) < 1e-3
    chapters = vtt_cues((course / "chapters.vtt").read_text())
    assert [c[2] for c in chapters] == [f"{c['number']}. {c['title']}" for c in manifest["chapters"]]
    assert seconds(chapters[0][0]) == 0 and abs(seconds(chapters[-1][1]) - duration(course / "lecture.mp4")) <= FRAME
    for chapter in manifest["chapters"]:  # a clip's captions are its beats, timed from its start
        clip = vtt_cues((course / "clips" / f"{chapter['slug']}.vtt").read_text())
        mine = [b for b in manifest["beats"] if chapter["start"] <= b["start"] < chapter["end"]]
        assert [c[2] for c in clip] == [b["caption"] for b in mine]
        assert abs(seconds(clip[0][0]) - (mine[0]["start"] - chapter["start"])) < 2e-3
        assert abs(chapter["end"] - chapter["start"] - duration(course / "clips" / f"{chapter['slug']}.mp4")) <= FRAME


def test_scorm_package_parses_and_every_file_it_names_exists(course):
    with zipfile.ZipFile(course / "scorm.zip") as package:
        assert package.testzip() is None
        names = set(package.namelist())
        root = ET.fromstring(package.read("imsmanifest.xml"))
        page = package.read("index.html").decode()
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    assert root.find("cp:metadata/cp:schema", ns).text == "ADL SCORM"
    assert root.find("cp:metadata/cp:schemaversion", ns).text == "1.2"
    item = root.find("cp:organizations/cp:organization/cp:item", ns)
    resource = root.find("cp:resources/cp:resource", ns)
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    assert resource.get("href") == "index.html"
    listed = {f.get("href") for f in resource.findall("cp:file", ns)}
    assert listed <= names and names - listed == {"imsmanifest.xml"}
    assert {"index.html", "player.js", "player.css", "course-data.js", "lecture.mp4", "captions.vtt"} <= listed
    assert "lecture.webm" not in page  # the package carries the mp4 alone
    assert {"explorer.html", "explorer.js", "explorer-compute.js", "explorer.css"} <= listed  # the explorer too
    assert 'href="explorer.html"' in page


# -- the player, served on 127.0.0.1 -------------------------------------------------------------

def open_player(browser, url):
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})  # as a student's first visit: the video from the server
    browser.get(url)
    wait_for(browser, "return document.body.dataset.ready === 'true'")
    wait_for(browser, "return document.getElementById('video').readyState >= 1")
    console_errors(browser)  # a fresh log for what follows  # noqa: B018


def video_state(browser) -> dict:
    return browser.execute_script(
        "var v = document.getElementById('video');"
        "return {t: v.currentTime, paused: v.paused, duration: v.duration, src: v.currentSrc};")


def track_cues(browser, kind) -> list:
    return browser.execute_script(
        "var tracks = Array.from(document.getElementById('video').textTracks).filter(t => t.kind === arguments[0]);"
        "return tracks.length === 1 ? Array.from(tracks[0].cues).map(c => [c.startTime, c.endTime, c.text]) : null;",
        kind)


def press(browser, *keys):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(*keys).perform()


@needs_browser
def test_served_player_loads_the_whole_lecture_with_its_tracks(browser, server, course, manifest):
    base, _ = server
    open_player(browser, base + "index.html")
    state = video_state(browser)
    assert state["src"] == base + "lecture.mp4"
    assert abs(state["duration"] - duration(course / "lecture.mp4")) <= FRAME
    captions = track_cues(browser, "captions")
    assert [c[2] for c in captions] == [b["caption"] for b in manifest["beats"]]
    chapters = track_cues(browser, "chapters")
    assert [c[2] for c in chapters] == [f"{c['number']}. {c['title']}" for c in manifest["chapters"]]
    assert console_errors(browser) == []


def landed(browser, after: float, before: float, timeout=30) -> float:
    """Wait until the video has seeked to a time in [after, before] and stays there; return it."""
    script = ("var v = document.getElementById('video');"
              "return !v.seeking && v.currentTime >= arguments[0] && v.currentTime <= arguments[1] && v.currentTime")
    seconds = wait_for(browser, script, timeout, after, before)
    browser.execute_script("return new Promise(r => setTimeout(r, 300))")  # a snap back to 0:00 would be under way
    return wait_for(browser, script, timeout, after, before) or seconds


def assert_seeks_the_way_the_server_allows(browser, ranges: bool):
    """From a server with byte ranges the video streams; from one without, it plays from the
    whole file read once, and can seek anywhere in it."""
    state = browser.execute_script(
        "var v = document.getElementById('video'), s = v.seekable;"
        "return {src: v.currentSrc, end: s.length ? s.end(s.length - 1) : -1, duration: v.duration};")
    assert state["src"].startswith("http" if ranges else "blob:http://127.0.0.1"), state
    assert state["end"] >= state["duration"] - FRAME


@needs_browser
def test_each_chapter_in_the_menu_seeks_to_its_first_picture(browser, any_server, manifest, title_bands):
    from selenium.webdriver.common.by import By

    base, ranges = any_server
    open_player(browser, base + "index.html")
    buttons = browser.find_elements(By.CSS_SELECTOR, "#chapter-list button")
    assert len(buttons) == len(manifest["chapters"])
    for button, chapter in reversed(list(zip(buttons, manifest["chapters"]))):
        button.click()
        seconds = landed(browser, chapter["start"] + FRAME / 2, chapter["start"] + 1)
        assert_on_first_picture(title_bands, chapter, seconds)
        assert button.get_attribute("aria-current") == "true"
        assert chapter["title"] in button.text
    assert_seeks_the_way_the_server_allows(browser, ranges)
    assert console_errors(browser) == []


@needs_browser
def test_transcript_has_one_entry_per_beat_and_a_click_seeks_to_it(browser, any_server, manifest, title_bands):
    from selenium.webdriver.common.by import By

    base, ranges = any_server
    open_player(browser, base + "index.html")
    entries = browser.find_elements(By.CSS_SELECTOR, "#transcript button.beat")
    assert [e.text.split(" ", 1)[1] for e in entries] == [b["caption"] for b in manifest["beats"]]
    second = manifest["chapters"][1]
    opening = next(i for i, b in enumerate(manifest["beats"]) if b["start"] == second["start"])
    assert opening not in (len(entries) - 1, 1)
    for index in (len(entries) - 1, 1, opening):
        entries[index].click()
        beat = manifest["beats"][index]
        if index == opening:  # a beat that opens a chapter is entered, as the chapter is, on its first picture
            assert_on_first_picture(title_bands, second, landed(browser, beat["start"] + FRAME / 2, beat["start"] + 1))
        else:
            landed(browser, beat["start"] - 0.01, beat["start"] + 0.01)
        assert entries[index].get_attribute("aria-current") == "true"
        assert browser.find_element(By.ID, "caption").text == beat["caption"]
    assert_seeks_the_way_the_server_allows(browser, ranges)
    assert console_errors(browser) == []


def wait_paused_at(browser, seconds_, timeout=60):
    wait_for(browser, "var v = document.getElementById('video');"
                      "return v.paused && !v.seeking && Math.abs(v.currentTime - arguments[0]) <= arguments[1]",
             timeout, seconds_, FRAME)


@needs_browser
def test_class_mode_plays_each_beat_to_its_end_and_pauses_and_left_goes_back(browser, any_server, manifest):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    beats = manifest["beats"]
    base, ranges = any_server
    open_player(browser, base + "index.html")
    Select(browser.find_element(By.ID, "speed")).select_by_value("2")  # half the wait; frames are still checked
    browser.execute_script("document.getElementById('video').focus()")
    press(browser, "c")
    assert browser.find_element(By.ID, "class-mode").get_attribute("aria-pressed") == "true"
    browser.find_elements(By.CSS_SELECTOR, "#transcript button.beat")[2].click()  # the start of beat 3
    wait_for(browser, "return Math.abs(document.getElementById('video').currentTime - arguments[0]) < 0.01",
             30, beats[2]["start"])
    # every frame shown from here on: none may pass the beat's end by a frame or more
    browser.execute_script(
        "var v = document.getElementById('video'); window.shownFrames = [];"
        "(function each(now, meta) { window.shownFrames.push(meta.mediaTime); v.requestVideoFrameCallback(each); })"
        "(0, {mediaTime: v.currentTime});")
    for key, beat in ((Keys.ARROW_RIGHT, 2), (Keys.PAGE_DOWN, 3)):
        press(browser, key)
        wait_paused_at(browser, beats[beat]["end"])
        shown = browser.execute_script("return window.shownFrames")
        # (a decoded frame's mediaTime may sit a few milliseconds before its place on the frame grid:
        # the last frame of a beat that ends on the grid starts one frame, less that, before its end)
        assert beats[beat]["end"] - FRAME - 5e-3 <= max(shown) <= beats[beat]["end"] + FRAME + 1e-3
        assert browser.find_element(By.ID, "caption").text == beats[beat]["caption"]  # the beat just shown
        assert browser.find_element(By.ID, "status").text == f"Beat {beat + 1} of {len(beats)}"
    assert browser.find_element(By.ID, "speed").get_attribute("value") == "2"
    assert browser.execute_script("return document.getElementById('video').playbackRate") == 2
    press(browser, Keys.ARROW_LEFT)
    wait_paused_at(browser, beats[2]["end"])
    press(browser, Keys.PAGE_UP)
    wait_paused_at(browser, beats[1]["end"])
    press(browser, " ")  # Space steps on, as Right does
    wait_paused_at(browser, beats[2]["end"])
    press(browser, Keys.END)
    wait_paused_at(browser, manifest["duration"])
    press(browser, Keys.HOME)
    wait_paused_at(browser, 0)
    press(browser, "c")
    assert browser.find_element(By.ID, "class-mode").get_attribute("aria-pressed") == "false"
    assert_seeks_the_way_the_server_allows(browser, ranges)
    assert console_errors(browser) == []


@needs_browser
def test_space_plays_and_pauses_and_the_controls_are_labelled_and_reachable_by_tab(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_player(browser, server[0] + "index.html")
    browser.execute_script("document.getElementById('video').focus()")
    press(browser, " ")
    wait_for(browser, "var v = document.getElementById('video'); return !v.paused && v.currentTime > 0.2")
    press(browser, " ")
    wait_for(browser, "return document.getElementById('video').paused")
    press(browser, "f")  # full screen: the picture with its caption strip
    wait_for(browser, "return document.fullscreenElement && document.fullscreenElement.id === 'frame'")
    press(browser, "f")
    wait_for(browser, "return document.fullscreenElement === null")
    for button in browser.find_elements(By.CSS_SELECTOR, "button"):
        assert (button.get_attribute("aria-label") or button.text).strip(), button.get_attribute("outerHTML")[:80]
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = set()
    for _ in range(12):
        press(browser, Keys.TAB)
        reached.add(browser.execute_script("return document.activeElement.id"))
    assert {"play", "next", "back", "seek", "captions", "speed", "class-mode", "fullscreen"} <= reached
    browser.execute_script("document.getElementById('captions').focus()")
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    press(browser, Keys.ENTER)  # keyboard presses the focused button
    assert browser.find_element(By.ID, "captions").get_attribute("aria-pressed") == "false"
    assert not browser.find_element(By.ID, "caption").is_displayed()
    press(browser, Keys.ENTER)
    assert browser.find_element(By.ID, "caption").is_displayed()
    assert console_errors(browser) == []


@needs_browser
def test_speed_goes_from_half_to_double(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_player(browser, server[0] + "index.html")
    speed = Select(browser.find_element(By.ID, "speed"))
    values = [float(o.get_attribute("value")) for o in speed.options]
    assert min(values) == 0.5 and max(values) == 2
    for value in ("0.5", "2"):
        speed.select_by_value(value)
        assert browser.execute_script("return document.getElementById('video').playbackRate") == float(value)


@needs_browser
def test_every_clip_page_plays_its_clip_with_its_captions(browser, server, course, manifest):
    base, _ = server
    for chapter in manifest["chapters"]:
        browser.get(f"{base}clips/{chapter['slug']}.html")
        wait_for(browser, "return document.getElementById('video').readyState >= 1")
        browser.execute_script("document.getElementById('video').play()")
        wait_for(browser, "var v = document.getElementById('video'); return !v.paused && v.currentTime > 0.3")
        state = video_state(browser)
        assert state["src"] == f"{base}clips/{chapter['slug']}.mp4"
        assert abs(state["duration"] - duration(course / "clips" / f"{chapter['slug']}.mp4")) <= FRAME
        wait_for(browser, "var t = document.getElementById('video').textTracks[0]; return t.cues && t.cues.length")
        cues = track_cues(browser, "captions")
        mine = [b for b in manifest["beats"] if chapter["start"] <= b["start"] < chapter["end"]]
        assert [c[2] for c in cues] == [b["caption"] for b in mine]
        strip = wait_for(browser, "return document.getElementById('caption').textContent")  # under the picture
        assert strip in [b["caption"] for b in mine]
        assert console_errors(browser) == []


@needs_browser
def test_a_clip_page_seeks_on_a_server_without_byte_ranges(browser, plain_server, manifest):
    chapter = manifest["chapters"][-1]
    browser.get(f"{plain_server[0]}clips/{chapter['slug']}.html")
    wait_for(browser, "var v = document.getElementById('video'); return v.readyState >= 1 && v.currentSrc.startsWith('blob:')")
    beat = [b for b in manifest["beats"] if chapter["start"] <= b["start"] < chapter["end"]][-1]
    middle = (beat["start"] + beat["end"]) / 2 - chapter["start"]
    browser.execute_script("document.getElementById('video').currentTime = arguments[0]", middle)
    landed(browser, middle - 0.01, middle + 0.01)
    assert wait_for(browser, "return document.getElementById('caption').textContent") == beat["caption"]
    assert console_errors(browser) == []


@needs_browser
def test_no_request_leaves_the_folder_and_none_fails(browser, server, course):
    base, requests = server
    browser.get_log("performance")
    open_player(browser, base + "index.html")
    browser.execute_script("document.getElementById('video').play()")
    wait_for(browser, "return document.getElementById('video').currentTime > 0.3")
    urls = requested_urls(browser)
    assert urls and all(u.startswith(base) or u.startswith("data:") for u in urls), urls
    for path in requests:
        assert (course / path.split("?")[0].lstrip("/")).is_file(), path


@needs_browser
def test_the_player_fits_a_phone_in_one_column(tmp_path, server):
    with chromium(tmp_path / "phone", 390, 844) as phone:
        open_player(phone, server[0] + "index.html")
        layout = phone.execute_script(
            "var r = e => document.querySelector(e).getBoundingClientRect();"
            "return {overflow: document.documentElement.scrollWidth - innerWidth,"
            "        video: r('#video').bottom, side: r('.side').top, width: r('#video').width};")
        assert layout["overflow"] <= 0 and layout["side"] >= layout["video"] and layout["width"] > 350


# -- from file:// and inside an LMS ----------------------------------------------------------

@needs_browser
def test_the_player_works_from_file_urls_too(browser, course, manifest, title_bands):
    from selenium.webdriver.common.by import By

    browser.get_log("performance")
    open_player(browser, course.as_uri() + "/index.html")
    assert abs(video_state(browser)["duration"] - duration(course / "lecture.mp4")) <= FRAME
    assert [c[2] for c in track_cues(browser, "captions")] == [b["caption"] for b in manifest["beats"]]
    buttons = browser.find_elements(By.CSS_SELECTOR, "#chapter-list button")
    assert len(buttons) == len(manifest["chapters"])
    buttons[-1].click()
    assert_on_first_picture(title_bands, manifest["chapters"][-1],
                            landed(browser, manifest["chapters"][-1]["start"] + FRAME / 2, manifest["chapters"][-1]["start"] + 1))
    browser.get(course.as_uri() + f"/clips/{manifest['chapters'][0]['slug']}.html")
    wait_for(browser, "return document.getElementById('video').readyState >= 1")
    assert track_cues(browser, "captions")
    assert console_errors(browser) == []
    urls = requested_urls(browser)
    assert all(u.startswith(course.as_uri() + "/") or u.startswith("data:") for u in urls), urls


LMS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>LMS</title></head>
<body><script>
window.calls = [];
window.API = {values: {"cmi.core.lesson_status": "not attempted", "cmi.core.lesson_location": ""}};
["LMSInitialize", "LMSFinish", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
  .forEach(function (name) { API[name] = function () { calls.push([name]); return name === "LMSGetLastError" ? "0" : "true"; }; });
API.LMSGetValue = function (key) { calls.push(["LMSGetValue", key]); return API.values[key] || ""; };
API.LMSSetValue = function (key, value) { calls.push(["LMSSetValue", key, value]); API.values[key] = value; return "true"; };
</script><iframe id="sco" src="index.html" width="1000" height="700"></iframe></body></html>"""


@needs_browser
def test_scorm_package_reports_completion_when_the_video_ends_and_plays_without_an_lms(browser, course, tmp_path):
    with zipfile.ZipFile(course / "scorm.zip") as package:
        package.extractall(tmp_path / "sco")
    (tmp_path / "sco" / "lms.html").write_text(LMS_PAGE)
    with serve(tmp_path / "sco") as (base, _):
        browser.get(base + "lms.html")
        browser.switch_to.frame("sco")
        wait_for(browser, "return document.body.dataset.ready === 'true'")
        wait_for(browser, "return document.getElementById('video').readyState >= 1")
        browser.execute_script("var v = document.getElementById('video'); v.currentTime = v.duration - 0.5; v.play();")
        wait_for(browser, "return document.getElementById('video').ended")
        browser.switch_to.default_content()
        status = wait_for(browser, "return API.values['cmi.core.lesson_status'] === 'completed' && API.values")
        assert status["cmi.core.lesson_status"] == "completed"
        calls = [c[0] for c in browser.execute_script("return calls")]
        assert calls[0] == "LMSInitialize" and "LMSCommit" in calls
        assert console_errors(browser) == []
        open_player(browser, base + "index.html")  # no LMS: it still plays
        browser.execute_script("document.getElementById('video').play()")
        wait_for(browser, "return document.getElementById('video').currentTime > 0.3")
        assert console_errors(browser) == []
        browser.get(base + "explorer.html")  # the explorer, from inside the package, computes
        wait_for(browser, "return typeof window.convprop === 'object' && typeof window.convprop.compute === 'function'")
        assert console_errors(browser) == []


# -- the takes of a script, against the beats this course rendered -------------------------

def speech_span(path: Path) -> float:
    """Seconds from the first sound to the last in ``path``, by ffmpeg's silencedetect (-50 dB)."""
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-af",
                          "silencedetect=n=-50dB:d=0.02", "-f", "null", "-"], capture_output=True, text=True).stderr
    total = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                  str(path)], capture_output=True, text=True, check=True).stdout)
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    first = ends[0] if starts and starts[0] <= 0.001 else 0.0
    last = starts[-1] if starts and (len(ends) < len(starts) or ends[-1] >= total - 0.001) else total
    return last - first


def espeak(text: str, target: Path, rate: int | None = None) -> Path:
    wav = target.with_suffix(".espeak.wav") if rate else target
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True)
    if rate:
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(wav), "-ar", str(rate), str(target)], check=True)
        wav.unlink()
    return target


def test_script_takes_lists_each_beats_recording_against_the_rendered_beat(course, manifest, tmp_path, monkeypatch):
    """`convprop script chain-rule --takes DIR`: a recording per beat, made by espeak-ng, sorted
    as found (one at 16 kHz), missing, unusable (unreadable, silent, empty) or too long, against
    each beat's time as this course's silent render captioned it."""
    from convprop.app import run
    from convprop.app.options import parse
    from convprop.mathcore.config import ConfigError
    from convprop.scenes.narration import PAUSE
    from convprop.scenes.script import read_script
    from convprop.scenes.voice.takes import ALLOWANCE

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    chapter = next(c for c in manifest["chapters"] if c["name"] == "chain-rule")
    rendered = [b["end"] - b["start"] for b in manifest["beats"] if chapter["start"] <= b["start"] < chapter["end"]]
    assert len(rendered) >= 7
    folder = tmp_path / "takes"
    folder.mkdir()
    made = {
        "chain-rule/01": espeak("Yes.", folder / "chain-rule-01.wav"),
        "chain-rule/03": folder / "chain-rule-03.mp3",
        "chain-rule/04": folder / "chain-rule-04.wav",
        "chain-rule/05": espeak("The chain rule multiplies every local derivative along the path from the loss "
                                "back to this weight; " * 3, folder / "chain-rule-05.wav"),
        "chain-rule/06": espeak("Then the next one.", folder / "chain-rule-06.flac", rate=16_000),
        "chain-rule/07": folder / "chain-rule-07.ogg",
    }
    made["chain-rule/03"].write_bytes(b"not a recording at all" * 50)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "2",
                    str(made["chain-rule/04"])], check=True)
    made["chain-rule/07"].write_bytes(b"")
    (folder / "chain-rule-99.wav").write_bytes((folder / "chain-rule-01.wav").read_bytes())  # no such beat
    assert speech_span(made["chain-rule/05"]) > rendered[4] + ALLOWANCE + 2  # too long by far

    params, explicit = parse("script", ["chain-rule", *TINY, "--takes", str(folder), "--format", "json"])
    doc = json.loads(run("script", params, explicit))
    rows = {beat["id"]: beat["take"] for beat in doc["beats"]}
    assert list(rows) == [f"chain-rule/{n:02}" for n in range(1, len(rendered) + 1)]
    expected = {"chain-rule/01": "found", "chain-rule/03": "unusable", "chain-rule/04": "unusable",
                "chain-rule/05": "too long", "chain-rule/06": "found", "chain-rule/07": "unusable"}
    assert {beat: row["status"] for beat, row in rows.items()} == {
        beat: expected.get(beat, "missing") for beat in rows}
    for (beat, row), seconds in zip(rows.items(), rendered):
        # as the render captioned it, give or take the frames its animations were rounded to
        assert abs(row["animation"] - seconds) <= 5 * FRAME, (beat, row["animation"], seconds)
        assert row["file"] == (made[beat].name if beat in made else None)
        if row["status"] in ("found", "too long"):
            assert abs(row["seconds"] - speech_span(made[beat])) <= 0.15, beat
            assert (row["seconds"] + PAUSE > row["animation"] + ALLOWANCE) == (row["status"] == "too long"), beat
    long = rows["chain-rule/05"]
    assert long["over"] == pytest.approx(long["seconds"] + PAUSE - long["animation"] - ALLOWANCE, abs=0.003)
    for beat, says in (("chain-rule/03", "cannot be read"), ("chain-rule/04", "silent"), ("chain-rule/07", "empty")):
        assert made[beat].name in rows[beat]["problem"] and says in rows[beat]["problem"], rows[beat]
    assert doc["takes"] == {"folder": str(folder), "no_beat": ["chain-rule-99.wav"]}

    params, explicit = parse("script", ["chain-rule", *TINY, "--takes", str(folder)])
    page = run("script", params, explicit)
    table = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in page.splitlines()
             if line.startswith("| chain-rule/")]
    assert [(r[0], r[2]) for r in table] == [(beat, row["status"]) for beat, row in rows.items()]
    assert "No beat plays: chain-rule-99.wav" in page
    edited = tmp_path / "script.md"
    edited.write_text(page, encoding="utf-8")
    assert list(read_script(edited)[1]) == list(rows)  # the table leaves the script readable back
    params, explicit = parse("script", ["chain-rule", "--takes", str(tmp_path / "nowhere")])
    with pytest.raises(ConfigError, match=r"^--takes '.*nowhere' is not a folder; give the folder of recordings"):
        run("script", params, explicit)
