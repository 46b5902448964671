"""What the user may choose, and the limits within which a video stays readable.

Validation lives here, not in the CLI, so every entry point refuses the same configurations
with the same one-line messages.
"""

from dataclasses import dataclass

from convprop.mathcore.conv import output_size, span

# An image invites the classic digit size, 28x28 (32x32 with padding 2). A padded input up to
# NUMBERED_SIDE cells a side is drawn as a grid of numbers, each brought legible by the camera
# when discussed; a larger one only the forward pass draws, as a picture whose working region is
# written out close up (``Story.numbers_only``).
MAX_INPUT_SIDE = 28
MAX_GRID_SIDE = 32
NUMBERED_SIDE = 16
MAX_KERNEL_SIDE = 5
# Each channel and each filter's map is a grid of its own on screen: a picture's three colour
# channels, and up to four feature maps side by side.
MAX_CHANNELS = 3
MAX_FILTERS = 4
MAX_DILATION = 3
# With values within ±MAX_ABS_VALUE (see values.py) this keeps one SGD step far from overflow.
MAX_LEARNING_RATE = 1000.0


class ConfigError(ValueError):
    """A configuration mathcore cannot or will not compute; the message says how to fix it."""


@dataclass(frozen=True)
class ModelConfig:
    """conv -> [ReLU] -> [max pool] -> flatten -> dense(1) -> sigmoid -> BCE.

    The default is the classic stride-2 lecture: 5x5 input, 3x3 kernel, stride 2, no padding,
    four outputs z1..z4 flattened straight into the prediction.

    ``channels`` input channels (C) and ``filters`` (F) kernels of C x kh x kw each, with their
    own bias; ``dilation`` (rows, cols) spreads the kernel's taps d apart. The default, one
    channel, one filter and no dilation, is the lecture's single-channel convolution.
    """

    input_size: tuple[int, int] = (5, 5)
    kernel_size: tuple[int, int] = (3, 3)
    stride: tuple[int, int] = (2, 2)
    padding: int = 0
    relu: bool = False
    pool: int = 0  # pool window and stride; 0 means no pooling
    seed: int = 0
    learning_rate: float = 0.1
    channels: int = 1
    filters: int = 1
    dilation: tuple[int, int] = (1, 1)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """X's shape: channels x rows x columns."""
        return (self.channels, *self.input_size)

    @property
    def kernel_shape(self) -> tuple[int, int, int, int]:
        """W's shape: filters x channels x rows x columns."""
        return (self.filters, self.channels, *self.kernel_size)

    @property
    def span(self) -> tuple[int, int]:
        """Rows and columns one dilated kernel covers: d(k - 1) + 1."""
        return tuple(span(k, d) for k, d in zip(self.kernel_size, self.dilation))

    @property
    def feature_count(self) -> int:
        """Numbers flattened into the dense layer: every filter's pooled map."""
        rows, cols = self.pooled_size
        return self.filters * rows * cols

    @property
    def conv_parameter_count(self) -> int:
        """The convolution's trainable numbers: F x C x kh x kw weights and F biases."""
        kh, kw = self.kernel_size
        return self.filters * self.channels * kh * kw + self.filters

    @property
    def is_single_channel(self) -> bool:
        """One channel, one filter, no dilation: the lecture's convolution, 2-D matrices throughout."""
        return self.channels == 1 and self.filters == 1 and tuple(self.dilation) == (1, 1)

    @property
    def padded_size(self) -> tuple[int, int]:
        return (self.input_size[0] + 2 * self.padding, self.input_size[1] + 2 * self.padding)

    @property
    def numbered(self) -> bool:
        """Whether the padded input is small enough to be drawn as a grid of numbers."""
        return max(self.padded_size) <= NUMBERED_SIDE

    @property
    def conv_output_size(self) -> tuple[int, int]:
        return tuple(
            output_size(n, k, s, self.padding, d)
            for n, k, s, d in zip(self.input_size, self.kernel_size, self.stride, self.dilation)
        )

    @property
    def pooled_size(self) -> tuple[int, int]:
        if not self.pool:
            return self.conv_output_size
        return tuple((n - self.pool) // self.pool + 1 for n in self.conv_output_size)

    def _windows_on_padding_only(self) -> bool:
        """Whether some window's taps all fall on the padding (only possible with dilation)."""
        p = self.padding
        for n, k, s, d, out in zip(self.input_size, self.kernel_size, self.stride, self.dilation,
                                   self.conv_output_size):
            if any(not any(p <= r * s + a * d < p + n for a in range(k)) for r in range(out)):
                return True
        return False

    def validate(self) -> "ModelConfig":
        """Raise ConfigError naming the first problem and its fix; return self when valid."""
        for name, pair, limit in (
            ("input size", self.input_size, MAX_INPUT_SIDE),
            ("kernel size", self.kernel_size, MAX_KERNEL_SIDE),
        ):
            if min(pair) < 1:
                raise ConfigError(f"{name} {pair[0]}x{pair[1]} must be at least 1x1")
            if max(pair) > limit:
                raise ConfigError(
                    f"{name} {pair[0]}x{pair[1]} is larger than a readable video can show; "
                    f"use at most {limit}x{limit}"
                )
        for name, count, limit, option in (("channels", self.channels, MAX_CHANNELS, "--channels"),
                                           ("filters", self.filters, MAX_FILTERS, "--filters")):
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= limit:
                raise ConfigError(f"{name} must be 1 to {limit}, got {count}; use {option} 1 to {limit}")
        if len(self.dilation) != 2 or not all(1 <= d <= MAX_DILATION for d in self.dilation):
            shown = "x".join(str(d) for d in self.dilation)
            raise ConfigError(f"dilation must be 1 to {MAX_DILATION} (D or DxD), got {shown}; "
                              f"use --dilation 1 to {MAX_DILATION}")
        if min(self.stride) < 1:
            raise ConfigError(f"stride must be at least 1, got {self.stride[0]}x{self.stride[1]}")
        if self.padding < 0:
            raise ConfigError(f"padding must be 0 or more, got {self.padding}")
        if self.padding >= min(self.kernel_size):
            raise ConfigError(
                f"padding {self.padding} must be smaller than the kernel size "
                f"{self.kernel_size[0]}x{self.kernel_size[1]}; otherwise some outputs see only zeros"
            )
        padded = self.padded_size
        if max(padded) > MAX_GRID_SIDE:
            raise ConfigError(
                f"the padded input is {padded[0]}x{padded[1]}, more than the {MAX_GRID_SIDE}x"
                f"{MAX_GRID_SIDE} a readable video can show; use a smaller input or padding"
            )
        if any(k > n for k, n in zip(self.kernel_size, padded)):
            raise ConfigError(
                f"kernel {self.kernel_size[0]}x{self.kernel_size[1]} is larger than the padded input "
                f"{padded[0]}x{padded[1]}; use a smaller kernel, a larger input or more padding"
            )
        spread = self.span
        if any(k > n for k, n in zip(spread, padded)):
            d = "x".join(str(v) for v in self.dilation)
            raise ConfigError(
                f"kernel {self.kernel_size[0]}x{self.kernel_size[1]} dilated by {d} spans {spread[0]}x{spread[1]}, "
                f"larger than the padded input {padded[0]}x{padded[1]}; use a smaller dilation or kernel, "
                f"a larger input or more padding"
            )
        if self._windows_on_padding_only():
            d = "x".join(str(v) for v in self.dilation)
            raise ConfigError(
                f"with dilation {d} and padding {self.padding} some windows have every tap on the padding, "
                f"so their outputs see only zeros; use less padding or another dilation"
            )
        if max(self.stride) > MAX_GRID_SIDE:
            raise ConfigError(f"stride must be at most {MAX_GRID_SIDE}, the widest grid a video shows")
        if self.pool < 0:
            raise ConfigError(f"pool must be 0 (none) or a window size of 1 or more, got {self.pool}")
        if self.pool and self.pool > min(self.conv_output_size):
            out = self.conv_output_size
            raise ConfigError(
                f"pool window {self.pool} is larger than the convolution output {out[0]}x{out[1]}; "
                f"use --pool {min(out)} or less, or --pool 0"
            )
        if not (0 < self.learning_rate <= MAX_LEARNING_RATE):
            raise ConfigError(
                f"learning rate must be a positive finite number at most {MAX_LEARNING_RATE:g}, "
                f"got {self.learning_rate}"
            )
        return self
