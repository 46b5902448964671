"""One module per part of the lecture: each story is the script of its beats, built from
``convprop.scenes.kit``; ``convprop.scenes.registry`` lists them in lecture order."""
