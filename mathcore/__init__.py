"""Numerical core of convprop: forward and backward values, with the terms behind every sum.

numpy only; nothing here knows about Manim. Scenes read the immutable traces built here.
"""

from convprop.mathcore.config import ModelConfig, ConfigError, MAX_GRID_SIDE, MAX_KERNEL_SIDE
from convprop.mathcore.model import ModelTrace, run_model

__all__ = ["ModelConfig", "ConfigError", "MAX_GRID_SIDE", "MAX_KERNEL_SIDE", "ModelTrace", "run_model"]
