// The course player: chapter menu, captions, transcript, speed, class mode, sound, SCORM completion.
//
// The chapters and beats come from course-data.js (written with manifest.json). Over http(s)
// the caption and chapter tracks are the .vtt files beside this page; from file://, where
// browsers refuse to load tracks, the same cues are built from the data.
//
// A server that answers without byte ranges (python3 -m http.server, the first one an
// instructor tries) hands the browser a video it cannot seek: every seek lands on 0:00. Then
// the video is read once more, whole, as a Blob and played from an object URL, which seeks
// anywhere; a position asked for meanwhile is kept and taken up when the Blob plays.
(function () {
  "use strict";

  var data = window.CONVPROP_COURSE;
  var beats = data.beats;
  var frame = 1 / data.fps;
  var half = frame / 2;
  // Every scene opens with its title fading in for 0.6 s on an empty stage (Story.show_title):
  // a chapter is entered on the frame after the fade, its first still picture, not on the
  // empty frame at its start.
  var OPENING = 0.6;

  function $(id) { return document.getElementById(id); }
  var video = $("video"), frameBox = $("frame"), captionBox = $("caption"), status = $("status");
  var playButton = $("play"), seek = $("seek"), timeText = $("time"), speed = $("speed");
  var captionsButton = $("captions"), classButton = $("class-mode");
  var soundButton = $("sound");  // a narrated lecture's only
  var chapterList = $("chapter-list"), transcript = $("transcript");
  var transcriptItems = Array.prototype.slice.call(transcript.querySelectorAll("button.beat"));

  var state = {
    classMode: false,
    captionsOn: true,
    target: null,      // the time class mode plays to, or null
    targetBeat: -1,
    heldBeat: -1,      // the beat whose end class mode paused at: its caption stays up
    ownSeek: false,
    captionCues: [],
    chapterCues: [],
    chapterButtons: [],
    wanted: null,      // a position asked for while the video cannot seek yet, or null
    wholeLoading: false,
  };

  // -- time -----------------------------------------------------------------------------

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds + 1e-6));
    var h = Math.floor(whole / 3600), m = Math.floor(whole / 60) % 60, s = whole % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function duration() {
    return isFinite(video.duration) && video.duration > 0 ? video.duration : data.duration;
  }

  // Where the lecture is, or is about to be: a position asked for before the video can seek
  // is where it will be, and what the controls show.
  function position() {
    return state.wanted !== null ? state.wanted : video.currentTime;
  }

  function place(seconds) {
    if (seekable()) {
      state.ownSeek = true;
      video.currentTime = seconds;
    } else {
      state.wanted = seconds;
      loadWhole();
    }
  }

  function seekTo(seconds, keepHeld) {
    cancelStep();
    if (!keepHeld) state.heldBeat = -1;
    place(Math.min(Math.max(0, seconds), duration()));
    render();
  }

  // A chapter's start is the empty frame before its title: it is entered on its first picture.
  function entered(seconds) {
    for (var i = 0; i < data.chapters.length; i++) {
      var chapter = data.chapters[i];
      if (Math.abs(chapter.start - seconds) < half) return Math.min(chapter.start + OPENING + frame, chapter.end - frame);
    }
    return seconds;
  }

  // -- seeking on any server -----------------------------------------------------------------

  function seekable() {
    var ranges = video.seekable;
    return ranges.length > 0 && ranges.start(0) <= half && ranges.end(ranges.length - 1) >= duration() - half;
  }

  function play() {  // a play cut short by the move to the Blob is no error
    var started = video.play();
    if (started && started.catch) started.catch(function () {});
  }

  function loadWhole() {
    var http = location.protocol === "http:" || location.protocol === "https:";
    if (state.wholeLoading || !http || !video.currentSrc || video.currentSrc.indexOf("blob:") === 0) return;
    state.wholeLoading = true;
    fetch(video.currentSrc).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.blob();
    }).then(function (blob) {
      var playing = !video.paused, rate = video.playbackRate;
      if (state.wanted === null) state.wanted = video.currentTime;
      video.addEventListener("loadedmetadata", function () {
        video.playbackRate = rate;  // a new source starts at the default rate
        var wanted = state.wanted;
        state.wanted = null;
        state.ownSeek = true;
        video.currentTime = wanted;
        if (playing) { play(); watchFrames(); }
        render();
      }, { once: true });
      video.src = URL.createObjectURL(blob);
    }).catch(function (error) {  // not tried again: the video plays on from where it is
      state.wanted = null;
      announce("This server cannot seek in the video (" + error.message + "): it plays from the start");
      render();
    });
  }

  // -- tracks ----------------------------------------------------------------------------

  function cuesOf(track) {
    return Array.prototype.slice.call(track.cues || []);
  }

  function builtTrack(kind, label, cues) {
    var track = video.addTextTrack(kind, label, "en");
    track.mode = "hidden";
    cues.forEach(function (c) { track.addCue(new VTTCue(c.start, c.end, c.text)); });
    return track;
  }

  function builtTracks() {
    Array.prototype.slice.call(video.querySelectorAll("track")).forEach(function (t) { t.remove(); });
    return {
      captions: builtTrack("captions", "English", beats.map(function (b) {
        return { start: b.start, end: b.end, text: b.caption };
      })),
      chapters: builtTrack("chapters", "Chapters", data.chapters.map(function (c) {
        return { start: c.start, end: c.end, text: c.number + ". " + c.title };
      })),
    };
  }

  function loadedTrack(element) {
    return new Promise(function (resolve, reject) {
      if (element.readyState === 2) { resolve(element.track); return; }
      element.addEventListener("load", function () { resolve(element.track); });
      element.addEventListener("error", reject);
      element.track.mode = "hidden";
    });
  }

  function loadTracks() {
    var http = location.protocol === "http:" || location.protocol === "https:";
    var captions = video.querySelector('track[kind="captions"]');
    var chapters = video.querySelector('track[kind="chapters"]');
    if (!http || !captions || !chapters) return Promise.resolve(builtTracks());
    return Promise.all([loadedTrack(captions), loadedTrack(chapters)])
      .then(function (t) { return { captions: t[0], chapters: t[1] }; })
      .catch(builtTracks);
  }

  // -- chapters, captions, transcript -----------------------------------------------------

  function buildChapterMenu(track) {
    state.chapterCues = cuesOf(track);
    chapterList.textContent = "";
    state.chapterButtons = state.chapterCues.map(function (cue) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chapter";
      button.dataset.start = cue.startTime;
      var title = document.createElement("span");
      title.className = "title";
      title.textContent = cue.text;
      var stamp = document.createElement("span");
      stamp.className = "stamp";
      stamp.textContent = clock(cue.startTime);
      button.append(title, stamp);
      button.setAttribute("aria-label", cue.text + ", at " + clock(cue.startTime));
      button.addEventListener("click", function (event) {
        seekTo(entered(cue.startTime));
        refocus(event);
      });
      item.appendChild(button);
      chapterList.appendChild(item);
      return button;
    });
  }

  function indexAt(cues, t, startOf, endOf) {
    for (var i = 0; i < cues.length; i++) {
      if (startOf(cues[i]) <= t + 1e-6 && t < endOf(cues[i]) - 1e-6) return i;
    }
    return -1;
  }

  function currentBeat(t) {
    if (state.heldBeat >= 0) return state.heldBeat;
    return indexAt(beats, t, function (b) { return b.start; }, function (b) { return b.end; });
  }

  function mark(elements, index) {
    elements.forEach(function (el, i) {
      if (i === index) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
    });
  }

  // The transcript list scrolls on its own (it is the offsetParent of its entries), so the
  // current beat stays in view without moving the page.
  function keepVisible(container, element) {
    var top = element.offsetTop;
    if (top < container.scrollTop || top + element.offsetHeight > container.scrollTop + container.clientHeight) {
      container.scrollTop = top - container.clientHeight / 3;
    }
  }

  var shown = { beat: -2, chapter: -2 };

  function render() {
    var t = position();
    var beat = currentBeat(t);
    var chapter = indexAt(state.chapterCues, t,
      function (c) { return c.startTime; }, function (c) { return c.endTime; });
    if (chapter < 0 && state.chapterCues.length && t >= state.chapterCues[state.chapterCues.length - 1].startTime) {
      chapter = state.chapterCues.length - 1;  // the very end belongs to the last chapter
    }
    if (beat !== shown.beat) {
      var cue = state.captionCues[beat];
      captionBox.textContent = cue ? cue.text : "";
      mark(transcriptItems, beat);
      if (beat >= 0 && transcriptItems[beat]) keepVisible(transcript, transcriptItems[beat]);
      shown.beat = beat;
    }
    if (chapter !== shown.chapter) {
      mark(state.chapterButtons, chapter);
      shown.chapter = chapter;
    }
    captionBox.hidden = !state.captionsOn;
    if (!seek.dragging) seek.value = t;
    timeText.textContent = clock(t) + " / " + clock(duration());
  }

  // -- class mode --------------------------------------------------------------------------

  function completedBeats(t) {
    var n = 0;
    while (n < beats.length && beats[n].end <= t + half) n++;
    return n;
  }

  function cancelStep() {
    state.target = null;
    state.targetBeat = -1;
  }

  function stepForward() {
    var t = position();
    var next = completedBeats(t);
    if (next >= beats.length && t >= duration() - half) return;  // at the end already
    state.heldBeat = -1;
    state.target = next < beats.length ? beats[next].end : duration();
    state.targetBeat = next < beats.length ? next : -1;
    announce(next < beats.length ? "Beat " + (next + 1) + " of " + beats.length : "To the end");
    play();
    watchFrames();
  }

  function stepBack() {
    var t = position();
    var done = completedBeats(t);
    var atEnd = done > 0 && Math.abs(beats[done - 1].end - t) <= half;
    var back = atEnd ? done - 2 : done - 1;  // the end of the beat before: one slide back
    video.pause();
    if (back >= 0) {
      state.heldBeat = back;
      seekTo(beats[back].end, true);
      announce("Back to the end of beat " + (back + 1) + " of " + beats.length);
    } else {
      seekTo(0);
      announce("Back to the start");
    }
  }

  function arrive() {
    var target = state.target, beat = state.targetBeat;
    cancelStep();
    video.pause();
    state.heldBeat = beat;
    place(target);  // within a frame of the beat's end, now exactly on it
    render();
  }

  // Each presented frame is checked: when the next one would be the beat's end (or past it),
  // the video stops and is put exactly on the end, so no frame of the next beat is shown.
  function watchFrames() {
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
  }

  function onFrame(now, meta) {
    if (state.target === null) return;
    if (meta.mediaTime + frame >= state.target - half) arrive();
    else watchFrames();
  }

  function checkTarget() {  // for browsers without requestVideoFrameCallback
    if (state.target !== null && video.currentTime >= state.target - half) arrive();
  }

  function setClassMode(on) {
    state.classMode = on;
    document.body.classList.toggle("class-mode", on);
    classButton.setAttribute("aria-pressed", String(on));
    announce(on ? "Class mode on: Right arrow or Page Down plays to the end of the beat, Left arrow goes back"
                : "Class mode off");
    if (on && !video.paused) {  // finish the beat under way, then pause
      var next = completedBeats(position());
      if (next < beats.length) {
        state.target = beats[next].end;
        state.targetBeat = next;
        watchFrames();
      }
    }
  }

  // -- controls ----------------------------------------------------------------------------

  function announce(text) { status.textContent = text; }

  function togglePlay() {
    if (video.paused || video.ended) { state.heldBeat = -1; play(); }
    else { cancelStep(); video.pause(); }
  }

  function setCaptions(on) {
    state.captionsOn = on;
    captionsButton.setAttribute("aria-pressed", String(on));
    captionsButton.setAttribute("aria-label", on ? "Captions on" : "Captions off");
    render();
  }

  // The button shows what the viewer hears, however the sound was turned off (M, the button, or
  // the browser's own menu).
  function showSound() {
    var on = !video.muted && video.volume > 0;
    soundButton.setAttribute("aria-pressed", String(on));
    soundButton.setAttribute("aria-label", on ? "Sound on" : "Sound off");
  }

  function toggleSound() {
    video.muted = !video.muted;
    if (!video.muted && video.volume === 0) video.volume = 1;
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (frameBox.requestFullscreen) frameBox.requestFullscreen().catch(function () {});
  }

  // A control pressed with the pointer hands focus back to the video, so that Space goes on
  // playing and pausing; pressed with the keyboard it keeps focus.
  function refocus(event) {
    if (event && event.detail > 0) video.focus({ preventScroll: true });
  }

  function on(element, handler) {
    element.addEventListener("click", function (event) { handler(event); refocus(event); });
  }

  on(playButton, togglePlay);
  on($("next"), stepForward);
  on($("back"), stepBack);
  on(captionsButton, function () { setCaptions(!state.captionsOn); });
  on(classButton, function () { setClassMode(!state.classMode); });
  on($("fullscreen"), toggleFullscreen);
  if (soundButton) {
    on(soundButton, toggleSound);
    video.addEventListener("volumechange", showSound);
    showSound();
  }
  video.addEventListener("click", function () { if (state.classMode) stepForward(); else togglePlay(); });
  speed.addEventListener("change", function () { video.playbackRate = Number(speed.value); });
  transcriptItems.forEach(function (button) {
    button.addEventListener("click", function (event) {
      seekTo(entered(Number(button.dataset.start)));
      refocus(event);
    });
  });
  seek.addEventListener("input", function () { seek.dragging = true; seekTo(Number(seek.value)); });
  seek.addEventListener("change", function () { seek.dragging = false; });

  var NAV = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target, tag = target.tagName;
    if (tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && target.type !== "range")) return;
    var onControl = tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
    var key = event.key;
    var handled = true;
    if (key === " " || key === "Spacebar") {
      if (onControl) return;  // Space presses the focused button, as everywhere
      if (state.classMode) stepForward(); else togglePlay();
    } else if (key in NAV && state.classMode) {
      if (NAV[key] > 0) stepForward(); else stepBack();
    } else if ((key === "ArrowRight" || key === "ArrowLeft") && tag !== "INPUT") {
      seekTo(position() + (key === "ArrowRight" ? 5 : -5));
    } else if (key === "Home" || key === "End") {
      video.pause();
      if (key === "Home") seekTo(0);
      else { state.heldBeat = beats.length - 1; seekTo(duration(), true); }
    } else if (key === "c" || key === "C") {
      setClassMode(!state.classMode);
    } else if ((key === "m" || key === "M") && soundButton) {
      toggleSound();
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });

  // -- video events -------------------------------------------------------------------------

  video.addEventListener("loadedmetadata", function () {
    seek.max = duration();
    if (!seekable()) loadWhole();
    render();
  });
  video.addEventListener("timeupdate", function () { checkTarget(); render(); });
  video.addEventListener("seeking", function () {
    if (!state.ownSeek) { cancelStep(); state.heldBeat = -1; }
    state.ownSeek = false;
  });
  video.addEventListener("seeked", render);
  video.addEventListener("play", function () {
    document.body.classList.add("playing");
    playButton.setAttribute("aria-label", "Pause");
  });
  video.addEventListener("pause", function () {
    document.body.classList.remove("playing");
    playButton.setAttribute("aria-label", "Play");
  });
  video.addEventListener("ended", function () {
    if (state.target !== null) arrive();
    scorm.complete();
  });
  function renderEachFrame() {
    render();
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(renderEachFrame);
  }
  renderEachFrame();

  // -- SCORM 1.2: report completion to an LMS, if one is present --------------------------

  var scorm = (function () {
    function find(win) {
      for (var hops = 0; win && hops < 12; hops++) {
        try { if (win.API) return win.API; } catch (e) { return null; }  // another origin
        if (win.parent === win) break;
        win = win.parent;
      }
      return null;
    }
    var api = find(window) || (window.opener ? find(window.opener) : null);
    var started = Date.now();
    if (api) {
      api.LMSInitialize("");
      var status = api.LMSGetValue("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      var resume = Number(api.LMSGetValue("cmi.core.lesson_location"));
      if (resume > 0) video.addEventListener("loadedmetadata", function () { seekTo(resume); }, { once: true });
    }
    function sessionTime() {
      var s = Math.round((Date.now() - started) / 1000);
      return String(Math.floor(s / 3600)).padStart(4, "0") + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0") +
        ":" + String(s % 60).padStart(2, "0");
    }
    var finished = false;
    window.addEventListener("pagehide", function () {
      if (!api || finished) return;
      finished = true;
      api.LMSSetValue("cmi.core.lesson_location", String(Math.floor(position())));
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      api.LMSCommit("");
      api.LMSFinish("");
    });
    return {
      present: !!api,
      complete: function () {
        if (!api || finished) return;
        api.LMSSetValue("cmi.core.lesson_status", "completed");
        api.LMSCommit("");
      },
    };
  })();

  // -- start ----------------------------------------------------------------------------------

  loadTracks().then(function (tracks) {
    state.captionCues = cuesOf(tracks.captions).map(function (cue) { return { text: cue.text }; });
    buildChapterMenu(tracks.chapters);
    shown.beat = shown.chapter = -2;
    if (video.readyState >= 1 && !seekable()) loadWhole();  // metadata came before this script
    render();
    document.body.dataset.ready = "true";  // for whoever waits for the player (tests, too)
  });
})();
