"""What the teacher says as the loss gradient goes back from dL/dF to dL/dZ, one beat a stage.

Each map the gradient passes through (``kit.map_stages``: reshaped into dL/dP or dL/dA, routed
to the pool's winners, Z read for the ReLU, masked into dL/dZ) is a beat of its own, so the words
are said while that stage is drawn: the same words for numbered maps and for pictures with a
block close up, for one map and for a layer's maps side by side. Only the numbered single map
says a number (the first dL/dz, written in its cell); a picture's block and a layer's maps are
told in words.
"""

from convprop.scenes.kit.formula import Num
from convprop.scenes.narration import say
from convprop.scenes.story import Story

FIRST_GRADIENT = ("conv_grad", "dL_dz", (0, 0))  # dL/dz_1, the single map's first cell


class SaysTheMaps(Story):
    """The beat of each stage on the way back from dL/dF to dL/dZ (``stage_beat``)."""

    def stage_beat(self, kind: str, index: int):
        """The beat of the stage of ``kind`` ("P", "A", "Z" or "dZ"), the ``index``-th of its map."""
        return self.beat(self._stage_caption(kind, index), self._stage_narration(kind, index))

    def _came_from(self) -> str:
        """The map F was flattened from, in words."""
        cfg = self.trace.config
        return "the pooled map P" if cfg.pool else "the map A" if cfg.relu else "the map Z"

    def _stage_caption(self, kind: str, index: int) -> str:
        cfg = self.trace.config
        layer = cfg.filters > 1
        if index == 0:
            cut = ("∂L/∂F is cut map by map, in F's order; each piece is reshaped into its own map" if layer else
                   "The features are reshaped back into the map they came from")
            return cut + (", one gradient per zₖ." if kind == "dZ" else ".")
        if kind == "A":
            return "Max pooling sends each gradient to the cell that won its window; the other cells get zero."
        if kind == "Z":
            return "Z again: where was it positive?"
        if cfg.relu:
            return "The ReLU passes the gradient only where Z was positive: ∂L/∂Z, one gradient per zₖ."
        return "With no ReLU, ∂L/∂Z is ∂L/∂A as it stands: one gradient per zₖ."

    def _stage_narration(self, kind: str, index: int):
        cfg = self.trace.config
        layer = cfg.filters > 1
        values = {}
        if index == 0:
            if layer:
                said = ["F took the {filters} maps one after another, so ∂L/∂F is cut into {filters} pieces in the "
                        "same order, and each piece is reshaped back into its own map."]
                values["filters"] = Num(("config", "filters"), 0)
            else:
                said = [f"F was {self._came_from()}, flattened row by row, so its gradients are reshaped back into "
                        "that map's shape."]
            said.append("The first feature's gradient, {dL_dF1}, goes back to the top-left cell"
                        + (" of the first map." if layer else "."))
            values["dL_dF1"] = Num(("dL_dfeatures", 0), 3)
            if not cfg.numbered:
                said.append("The maps are too large to number, so a block of cells is written close up under each, "
                            "and its gradients are followed from stage to stage.")
            if kind == "dZ":
                said.append("With no pool and no ReLU, that is already ∂L/∂Z, one gradient for every output of the "
                            "convolution.")
        elif kind == "A":
            said = ["Max pooling passed on only the largest value of each window, so each gradient goes back to the "
                    "cell that won its window, and every other cell gets zero."]
            if layer:
                said.append("Each map has winners of its own.")
        elif kind == "Z":
            said = ["Before the pooling, the ReLU let Z through only where it was positive. So here is Z again, to "
                    "see where." if cfg.pool else
                    "The ReLU let Z through only where it was positive. So here is Z again, to see where."]
        elif cfg.relu:
            said = ["So the gradient passes where Z was positive and is zero where it was not: the grey cells. What "
                    "arrives is ∂L/∂Z, one gradient for every output of the convolution"
                    + (", map by map." if layer else ".")]
        else:
            said = ["There is no ReLU, so ∂L/∂Z is ∂L/∂A as it stands: one gradient for every output of the "
                    "convolution" + (", map by map." if layer else ".")]
        if kind == "A" and layer and cfg.relu and not cfg.numbered:  # a layer's pictures grey Z's blocked cells here
            said.append("The grey cells are where Z was not positive: there the ReLU will block the gradient.")
        if kind == "dZ" and not layer and cfg.numbered:  # the map's first cell is written in its grid
            said.append("The first of them, ∂L/∂z₁, is {dL_dz1}.")
            values["dL_dz1"] = Num(FIRST_GRADIENT, 3)
        return say(" ".join(said), **values)
