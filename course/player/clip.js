// A clip page: the video with its captions on. Over http(s) the .vtt file is the track; from
// file://, where browsers refuse to load tracks, the same cues come from the page itself.
(function () {
  "use strict";
  var video = document.getElementById("video");
  var element = video.querySelector("track");
  if (location.protocol === "http:" || location.protocol === "https:") {
    element.track.mode = "showing";
    return;
  }
  element.parentNode.removeChild(element);
  var track = video.addTextTrack("captions", "English", "en");
  JSON.parse(document.getElementById("cues").textContent).forEach(function (cue) {
    track.addCue(new VTTCue(cue.start, cue.end, cue.text));
  });
  track.mode = "showing";
})();
