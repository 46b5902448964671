// A clip page: the video, and its captions in a strip under the picture, never over the
// numbers. Over http(s) the cues are the clip's .vtt file; from file://, where browsers refuse
// to load tracks, the same cues come from the page itself. Turning captions on in the video's
// own menu shows them the browser's way instead; turning them off hides the strip too.
(function () {
  "use strict";
  var video = document.getElementById("video");
  var strip = document.getElementById("caption");
  var element = video.querySelector("track");
  var track;
  if (location.protocol === "http:" || location.protocol === "https:") {
    track = element.track;
  } else {
    element.parentNode.removeChild(element);
    track = video.addTextTrack("captions", "English", "en");
    JSON.parse(document.getElementById("cues").textContent).forEach(function (cue) {
      track.addCue(new VTTCue(cue.start, cue.end, cue.text));
    });
  }
  function show() {
    var active = track.mode === "hidden" && track.activeCues && track.activeCues[0];
    strip.textContent = active ? active.text : "";
    strip.hidden = track.mode !== "hidden";
  }
  track.mode = "hidden";
  track.addEventListener("cuechange", show);
  video.textTracks.addEventListener("change", show);
  show();
})();
