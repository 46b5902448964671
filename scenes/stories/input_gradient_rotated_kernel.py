"""The input gradient's rotated kernel: W turns by half a turn, upside down and left to right.

The kernel (channel 1's of filter 1, for a layer) stands where the window's entries will go,
a copy of it moves to the kernel's place and turns half a turn, each number travelling upright
along the turn to its rotated cell (``half_turn``); every other kernel turns alike, and takes
the middle column's place when its channel's sum is worked (``swap_kernel``).
"""

from dataclasses import replace

from manim import UP, FadeTransform

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.input_gradient_stage import Shown
from convprop.scenes.kit.layout import line_in
from convprop.scenes.kit.rotated_kernel import half_turn, kernel_grid, rotated_name, rotation_rule
from convprop.scenes.kit.style import KERNEL
from convprop.scenes.story import Story


class RotatedKernel(Story):

    def rotate_kernel(self, stage, names, shown) -> Shown:
        """W (channel 1's kernel of filter 1, for a layer) turns round; every other turns alike."""
        t = self.trace
        kernel = kernel_grid(t, names.kernel(0, 0), stage.middle_cell).move_to(stage.window_box.center)
        kernel_label = over_cells(t, "kernel W" if names.single else "\"kernel\" W_(1,1)", kernel, KERNEL)
        rotated = kernel_grid(t, names.rotated(0, 0), stage.middle_cell).move_to(stage.kernel_box.center)
        rotated_label = rotated_name(t, names.single, 0, rotated)
        rule = line_in(rotation_rule(t), stage.line)
        self.play(FadeIn(kernel), FadeIn(kernel_label), FadeOut(shown.line), run_time=0.8)
        turning = kernel.copy()
        self.play(turning.animate.move_to(rotated), run_time=0.8)
        self.play(*half_turn(turning), FadeIn(rule, shift=UP * 0.2), run_time=2.0)
        self.play(FadeIn(rotated_label), run_time=0.5)
        self.scene.remove(turning)
        self.scene.add(rotated)
        self.wait(1.5)
        return replace(shown, line=rule, rotated=rotated, rotated_label=rotated_label,
                       leftovers=[kernel, kernel_label])

    def swap_kernel(self, stage, names, ch, rotated):
        """Channel ``ch``'s rotated kernel of filter 1 takes the middle column's place."""
        t = self.trace
        grid = kernel_grid(t, names.rotated(0, ch), stage.middle_cell).move_to(stage.kernel_box.center)
        label = rotated_name(t, names.single, ch, grid)
        old_grid, old_label = rotated
        self.play(FadeTransform(old_grid, grid), FadeTransform(old_label, label), run_time=0.6)
        return grid, label
