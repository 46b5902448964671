"""The course folder: the lecture rendered once and delivered as a page that plays in any
browser, files an LMS takes (mp4, WebVTT, SCORM 1.2) and clips to embed, all offline.

``course.build.build_course`` is the entry point; each module does one part of the work:
``lecture`` (the scenes chosen, rendered as the lecture is), ``timeline`` (chapters and beats),
``vtt`` (WebVTT), ``encode`` (ffmpeg), ``pages`` (the player and clip pages), ``scorm`` (the LMS
package), ``manifest`` (what was made, hashed) and ``publish`` (the folder appears whole or not
at all). Nothing is imported here, so
``course.vtt`` stays cheap for the renderer that writes a .vtt beside each .srt.
"""
