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
- ``picture``: a grid drawn as an image; ``pictured_grids``: what a grid of numbers and its
  picture both do (their cells, the pieces that move, a picture's frame and bar handed on);
- ``grid_names``: a grid's name above it, over a picture's cells rather than its colour bar;
- ``loupe``: the numbers under a window on a picture, close up;
- ``full_convolution``, ``rotated_kernel``, ``filter_shares``, ``heat_map``,
  ``input_gradient_stage``: the input gradient's drawing (the dilated, padded dL/dZ and the sum
  each window position writes; the kernel turned round; a layer's per-filter shares added up;
  dL/dX as a heat map; where the screens stand);
- ``map_stages``, ``close_up_maps``, ``dense_screen``: the loss gradient's way back from dL/dF
  to dL/dZ (the maps it passes and their rules, a large input's maps with a block close up, the
  sigmoid's chain and the dense screen);
- ``mlp_network``, ``worked_lines``: the 2-2-2 network with its weights on its edges, and
  worked lines stacked on a board;
- ``rule``: the update rule's symbols in their colours;
- ``verdict``: the words for each outcome of a before-and-after comparison;
- ``choreography``: a number flying to where it is used next, the things under discussion lit;
- ``layout``: the frame, its regions and widths, the cell that fits a box, lines spread down;
- ``style``, ``palette``: colours and sizes; ``trace_paths``, ``lighten``: reading the trace,
  copying glyphs cheaply.
"""
