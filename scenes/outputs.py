"""The qualities and formats a render can take; no manim import, so the CLI can read it cheaply."""

# CLI name -> Manim's quality preset: 480p15, 720p30, 1080p60, 2160p60
QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
# png renders the last frame only
FORMATS = ("mp4", "webm", "gif", "png")
