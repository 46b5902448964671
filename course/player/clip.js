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

  // A server without byte ranges (python3 -m http.server) gives a video the browser cannot
  // seek in: then it is read once more, whole, and played from an object URL, from where it was.
  function seekAnywhere() {
    var ranges = video.seekable, http = location.protocol === "http:" || location.protocol === "https:";
    if (!http || video.currentSrc.indexOf("blob:") === 0 || (ranges.length && ranges.end(ranges.length - 1) >= video.duration - 0.1)) return;
    fetch(video.currentSrc).then(function (response) {
      if (!response.ok) throw new Error(response.statusText);
      return response.blob();
    }).then(function (blob) {
      var at = video.currentTime, playing = !video.paused, rate = video.playbackRate;
      video.addEventListener("loadedmetadata", function () {
        video.playbackRate = rate;
        video.currentTime = at;
        if (playing) video.play().catch(function () {});
      }, { once: true });
      video.src = URL.createObjectURL(blob);
    }).catch(function () {});  // it plays on from the server as it is
  }
  if (video.readyState >= 1) seekAnywhere();
  else video.addEventListener("loadedmetadata", seekAnywhere, { once: true });
})();
