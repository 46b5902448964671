"""The course folder's parts without a render: WebVTT, the timeline, SCORM's manifest, and the
folder that appears whole or not at all."""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from convprop.scenes import captions
from convprop.course.publish import PublishError, staging
from convprop.course.scorm import imsmanifest
from convprop.course.timeline import Beat, read_timeline

SRT = """1
00:00:00,000 --> 00:00:02,000
First beat.

2
00:00:02,000 --> 00:00:03,500
Second beat, with <b> & such.

3
00:00:04,000 --> 00:00:06,000
Third beat.
"""


def test_timestamps_and_escapes():
    assert captions.timestamp(0) == "00:00:00.000"
    assert captions.timestamp(3725.5) == "01:02:05.500"
    assert captions.timestamp(2 / 3) == "00:00:00.667"
    assert captions.escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_srt_becomes_the_same_cues_in_webvtt():
    text = captions.from_srt(SRT)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nFirst beat.\n")
    assert "Second beat, with &lt;b&gt; &amp; such." in text
    assert text.count("-->") == 3 and text.endswith("Third beat.\n")


def test_a_caption_never_ends_its_cue_early():
    assert "\n\n" not in captions.document([(0, 1, "two\n\nparagraphs")]).split("WEBVTT\n\n", 1)[1]


def test_chapters_fall_on_frames_and_each_beat_belongs_to_the_chapter_it_starts_in(tmp_path):
    (tmp_path / "index.json").write_text(json.dumps([{"name": "forward-pass", "nb_frames": "45"},
                                                     {"name": "some-new-scene", "nb_frames": "60"}]))
    (tmp_path / "lecture.srt").write_text(SRT)
    timeline = read_timeline(tmp_path / "index.json", tmp_path / "lecture.srt", 15.0)
    first, second = timeline.chapters
    assert (first.start, first.end, second.start, second.end) == (0, 3, 3, 7)
    assert first.title == "The forward pass of a strided convolution"
    assert second.title == "Some new scene" and second.slug == "02-some-new-scene"
    assert [b.caption for b in first.beats] == ["First beat.", "Second beat, with <b> & such."]
    assert second.clip_beats() == (Beat("Third beat.", 1.0, 3.0),)
    assert timeline.duration == 7 and len(timeline.beats) == 3
    assert timeline.to_json()["chapters"][1]["start"] == 3


def test_imsmanifest_is_scorm_1_2_with_one_sco():
    root = ET.fromstring(imsmanifest("A title", "id-1", ["index.html", "lecture.mp4"]))
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2"}
    assert root.find("cp:metadata/cp:schemaversion", ns).text == "1.2"
    resource = root.find("cp:resources/cp:resource", ns)
    assert resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    assert [f.get("href") for f in resource.findall("cp:file", ns)] == ["index.html", "lecture.mp4"]


def earlier(folder: Path):
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"generator": "convprop course"}))
    (folder / "index.html").write_text("old")


def test_the_new_folder_replaces_an_earlier_course_only_when_complete(tmp_path):
    destination = tmp_path / "course"
    earlier(destination)
    with pytest.raises(RuntimeError):
        with staging(destination) as folder:
            (folder / "index.html").write_text("new, half done")
            raise RuntimeError("a step failed")
    assert (destination / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]
    with staging(destination) as folder:
        (folder / "index.html").write_text("new")
        assert (destination / "index.html").read_text() == "old"
    assert (destination / "index.html").read_text() == "new" and not (destination / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]
    assert destination.stat().st_mode & 0o777 == 0o755


def test_missing_parents_are_made_and_removed_again_on_failure(tmp_path):
    destination = tmp_path / "a" / "b" / "course"
    with pytest.raises(KeyboardInterrupt):
        with staging(destination):
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with staging(destination) as folder:
        (folder / "x").write_text("x")
    assert (destination / "x").read_text() == "x"


def test_a_folder_that_is_not_a_course_is_never_replaced(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.tex").write_text("precious")
    with pytest.raises(PublishError, match="not a course"):
        with staging(tmp_path / "home"):
            pass
    assert (tmp_path / "home" / "thesis.tex").read_text() == "precious"
