"""The building blocks every story is made of; none of them knows a scene.

- ``grid``: ``NumberGrid``, every table of numbers on screen (square or rectangular cells, a
  vector as a row or a column, blank cells filled in later), and the kernel's window on it;
- ``numbers``, ``formula``: a number drawn from the trace, and a formula whose numbers are;
- ``marks``: outlines and lit cells, on the cells the trace's geometry names;
- ``panels``: a row of grids, each with its name above and its shape below;
- ``vector_rows``: the dense layer's long vectors as aligned rows (F over w, w over dL/dF), a
  layer's features map by map in F's order;
- ``kernel_slice``: one kernel W[o, c] of a layer, its paths in the trace and its names on
  screen ("filter 1 and channel 2" read from the trace), a dilated window's gap cells;
- ``backward_stage``: the backward screens' columns (input, working, dL/dZ over dL/dW);
- ``picture``: a grid drawn as an image;
- ``loupe``: the numbers under a window on a picture, close up;
- ``rule``: the update rule's symbols in their colours;
- ``verdict``: the words for each outcome of a before-and-after comparison;
- ``choreography``: a number flying to where it is used next, the things under discussion lit;
- ``layout``: the frame, its regions and widths, the cell that fits a box, lines spread down;
- ``style``, ``palette``: colours and sizes; ``trace_paths``, ``lighten``: reading the trace,
  copying glyphs cheaply.
"""
