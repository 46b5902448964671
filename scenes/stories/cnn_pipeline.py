"""The whole small CNN at once, forward then backward, and then on a mini-batch.

    Z1 = conv(X, W1) + b1 -> A1 = ReLU(Z1) -> P1 = maxpool(A1) -> F = flatten(P1)
      -> Z2 = W2 F + b2 -> A2 = sigmoid(Z2) -> L = BCE(A2, y)

The earlier scenes took each piece apart; this one puts them end to end so a student sees every
stage's values *and shape* in one pass, and how many numbers each layer learns. The backward
pass then walks the same stages in reverse for the first image: the error A2 - y, the dense
gradients (with the check that dL/dW2 has the shape of W2), the reshape back to P1, max pooling
sending each gradient to the cell that won its window, the ReLU mask, and the kernel and bias
gradients (the correlation itself was worked step by step earlier, so here it is the result and
its formula). Last, the mini-batch: F becomes a matrix with one column per image, Z2 and A2 rows
of M numbers, and each parameter's gradient the sum of the images' own gradients divided by M.

A convolution layer is drawn whole: X's C channels, W1's kernel for each filter (a row) and
channel (a column) with one bias per filter, and F maps in every stage from Z1 to dL/dZ1, each
map pooled, routed and masked by its own winners and ReLU; its shapes read C x H x W and
F x C x kh x kw, and its parameters F*C*kh*kw + F. The kernel gradient is then X_c correlated
with dL/dZ1[o] for each pair, the taps d apart when dilated; the mini-batch averages every pair
the same way, shown for the first. A stage's grids share one cell size across its row, so three
stacked channels are as legible as the kernels (``cnn_pipeline_layer``).

An input too large to number (a 28x28 digit) is drawn as a picture, and so is every map past
sixteen cells a side (Z1, A1 and their gradients, 26x26 under a 3x3 kernel), each beside its
colour bar and still named by its shape; the batch's images stand as pictures over their
columns. What a picture cannot show is written out under it: one entry of dL/dW1 and dL/db1 as
some of their terms, "…" and their totals, the entry brought close when its digits are small.
The entry of dL/dW1 is of the first filter's kernel for the first channel, and is the weight the
trace explains (``explained_weights``): the first with the most terms that are not zero, ties to
the lowest index, so that a padded input's corner weight, whose first terms all read the padding,
is not the one shown. A muted line under it names the weight and says why; its line writes the
terms that are not zero, in order, and its "…" stands for the rest.
A layer small enough to number may still leave its stages too little room to read: three
channels beside four 5x5 filters would write digits of 2 to 5 px at 480p. Such a stage is drawn
as shaded squares without numbers (``cnn_pipeline_layer.pictured``, the forward pass's rule), its
cells travel to the next stage as squares, and one entry of dL/dW1 is worked out in a line.

Every number is read from ``lesson.pipeline`` (mathcore/batch.py); sizes and counts too, from
its ``shapes`` and ``parameter_counts``. The scene only chooses decimals and how much to show:
long feature vectors are shown by their first entries and an ellipsis. Each beat is given the
room under its title and places everything from the sizes of what it draws.
"""

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.layout import under
from convprop.scenes.narration import say
from convprop.scenes.stories.cnn_pipeline_backward import BackwardThroughTheNetwork
from convprop.scenes.stories.cnn_pipeline_base import FIRST, P
from convprop.scenes.stories.cnn_pipeline_batch import OnAMiniBatch
from convprop.scenes.stories.cnn_pipeline_forward import ForwardThroughTheNetwork
from convprop.scenes.story import StoryScene


class CnnPipelineStory(ForwardThroughTheNetwork, BackwardThroughTheNetwork, OnAMiniBatch):
    name = "cnn-pipeline"
    # Every stage is drawn whole: X's channels, W1's kernel per filter and channel, one map per
    # filter of Z1, A1, P1 and their gradients, the biases one per filter.
    draws_layers = True
    # A digit too large to number (28x28): X and every map past NUMBERED_SIDE cells a side are
    # pictures with their colour bars, the worked sums written out under them.
    pictures_large_input = True
    pictures_large_layer = True
    summary = ("The whole CNN forward and backward with every value, shape and parameter count, "
               "then a mini-batch of M images whose gradients are averaged")

    def tell(self):
        with self.beat("The whole network, forward: the convolution, ReLU and max pooling turn the image into a small map.",
                       self.convolution_narration()):
            title = self.show_title("The whole CNN, forward: the convolution layer")
            self.forward_through_the_convolution(under(title))
        self.clear()
        with self.beat("The map is flattened into the feature vector F; the dense layer, the sigmoid and the loss follow.",
                       self.dense_narration()):
            title = self.show_title("Forward: the dense layer and the loss")
            count = self.forward_through_the_dense_layer(under(title))
        with self.beat("Every weight and bias is a trainable parameter: the kernel and its bias, the dense weights and theirs.",
                       self.parameters_narration()):
            self.count_the_parameters(count)
        self.clear()
        with self.beat("Backward, first through the dense layer: the error A₂ − y, and the weight gradient, shaped like W₂.",
                       self.dense_gradient_narration()):
            title = self.show_title("Backward: the dense layer")
            self.backward_through_the_dense_layer(under(title))
        self.clear()
        with self.beat("The feature gradient is reshaped into P₁'s map; max pooling sends each gradient to the "
                       "cell that won its window; ReLU lets it through only where Z₁ was positive.",
                       self.pooling_narration()):
            title = self.show_title("Backward: the reshape, max pooling and ReLU")
            self.backward_through_pooling_and_relu(under(title))
        self.clear()
        with self.beat("The kernel gradient is the input correlated with ∂L/∂Z₁; the bias gradient is the sum of ∂L/∂Z₁.",
                       self.kernel_narration()):
            title = self.show_title("Backward: the kernel and the bias")
            self.backward_to_the_kernel(under(title))
        self.clear()
        with self.beat("A mini-batch: every image goes through the same weights, one column of F per image.",
                       self.batch_narration()):
            title = self.show_title("A mini-batch: every image through the same weights")
            self.forward_on_the_batch(under(title))
        self.clear()
        with self.beat("Each image has its own kernel gradient; the batch's gradient is their sum divided by M.",
                       self.kernel_average_narration()):
            title = self.show_title("The batch gradient is the average")
            self.average_the_kernel_gradients(under(title))
        self.clear()
        with self.beat("The dense layer's gradients are averaged the same way, and one step uses the averages.",
                       self.dense_average_narration()):
            title = self.show_title("The dense layer's gradients, averaged")
            self.average_the_dense_gradients(under(title))
        self.wait(1.5)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ----------

    def shape(self, key: str, axis: int) -> Num:
        """One size of a stage's shape, as written under it."""
        return Num(P + ("shapes", key, axis), 0)

    def convolution_narration(self):
        cfg = self.p.config
        if self.layered:
            kernel = ("W₁ holds one kernel for every filter and input channel, and b₁ one bias per filter. Each "
                      "filter's map of Z₁ is its kernels' correlation with X's channels, added up, plus its bias. ")
            values = {}
        else:
            kernel = "The kernel W₁ slides over X, and with the bias b₁, {b1}, makes Z₁. "
            values = {"b1": Num(FIRST + ("conv", "bias"), self.first.values.decimals["bias"])}
        pictured = (" X and the larger maps are drawn as pictures, each beside its colour bar."
                    if not cfg.numbered else "")
        return say("Now the whole network at once, for the first image, forward. " + kernel
                   + "The ReLU keeps Z₁'s positive values and zeroes the rest: that is A₁. Max pooling keeps the "
                   "largest of each window: P₁, {p_rows} by {p_cols}. Under each stage stands its shape."
                   + pictured, p_rows=self.shape("P1", -2), p_cols=self.shape("P1", -1), **values)

    def dense_narration(self):
        t = self.first
        return say("P₁ is flattened into the feature vector F, whose length is {features}. The dense layer weighs "
                   "its entries with W₂ and adds b₂, {b2}: Z₂ is {z2}. The sigmoid turns that into A₂, {a2}, the "
                   "prediction. Against the target y, {y}, the cross-entropy loss L is {L}.",
                   features=self.shape("F", 0), b2=Num(FIRST + ("values", "fc_bias"), t.values.decimals["fc_bias"]),
                   z2=Num(FIRST + ("head", "logit"), 3), a2=Num(FIRST + ("head", "y_hat"), 3),
                   y=Num(FIRST + ("target",), self.target_decimals), L=Num(FIRST + ("head", "loss"), 3))

    def parameters_narration(self):
        counts = P + ("parameter_counts",)
        return say("Every weight and bias is a trainable parameter, the numbers that learning changes. The "
                   "convolution's W₁ and b₁ are {conv} of them, the dense layer's W₂ and b₂ are {dense}: {total} "
                   "in all.", conv=Num(counts + ("conv",), 0), dense=Num(counts + ("dense",), 0),
                   total=Num(counts + ("total",), 0))

    def dense_gradient_narration(self):
        return say("Now backward, from the end. With a sigmoid and the cross-entropy loss, ∂L/∂Z₂ is simply A₂ "
                   "minus y: {a2} minus {y}, which is {error}. That is also b₂'s gradient. W₂'s gradient is this "
                   "error times each feature, so it has exactly the shape of W₂. And W₂'s transpose times the error "
                   "sends the gradient on to F, back in the shape of P₁.",
                   a2=Num(FIRST + ("head", "y_hat"), 3), y=Num(FIRST + ("target",), self.target_decimals),
                   error=Num(FIRST + ("dL_dlogit",), 3))

    def pooling_narration(self):
        maps = "the maps F was flattened from, one per filter" if self.p.config.filters > 1 else \
            "the map F was flattened from"
        return say(f"The feature gradient is reshaped back into {maps}: ∂L/∂P₁. "
                   "Max pooling passed on only the largest value of each window, so each gradient goes back to the "
                   "cell that won its window, outlined, and every other cell of ∂L/∂A₁ gets zero. The ReLU let "
                   "through only Z₁'s positive values, so the gradient survives only where Z₁ was positive: that "
                   "is ∂L/∂Z₁.")

    def kernel_narration(self):
        values = dict(rows=Num(P + ("config", "stride", 0), 0), cols=Num(P + ("config", "stride", 1), 0))
        if self.p.config.filters == 1:
            bias = "The bias gradient is the sum of every entry of ∂L/∂Z₁: {db}."
            values["db"] = Num(FIRST + ("conv_grad", "dL_dbias"), 3)
        else:
            bias = ("Each filter's bias gradient is the sum of every entry of its own map of ∂L/∂Z₁: for the first "
                    "filter, {db}.")
            values["db"] = Num(FIRST + ("conv_grad", "dL_db", 0), 3)
        what = ("Each kernel's gradient, for every filter and channel, is that channel of X correlated with that "
                "filter's map of ∂L/∂Z₁" if self.layered else "The kernel gradient is the input X correlated with "
                "∂L/∂Z₁")
        return say(what + ", the window stepping by the strides, {rows} down and {cols} across, as we worked out "
                   "step by step earlier. It has the shape of W₁, as it must. " + bias, **values)

    def batch_narration(self):
        values = dict(L=Num(P + ("loss",), 3))
        if self.p.size == 1:
            return say("Training usually takes a mini-batch of images at once; here the batch holds a single image, "
                       "so F has one column, and the batch's loss is that image's loss, {L}.", **values)
        values["m"] = Num(P + ("size",), 0)
        return say("Training usually takes a mini-batch of images at once; here M is {m}. Every image goes through "
                   "the same weights, so F becomes a matrix with one column per image, and Z₂, A₂, the errors and "
                   "the losses are rows of {m} numbers, one per image. The batch's loss is their mean, {L}.", **values)

    def kernel_average_narration(self):
        cfg = self.p.config
        layer = not (cfg.channels == 1 and cfg.filters == 1)
        which = " The first filter's kernel for the first channel stands here for them all." if layer else ""
        return say("Each image has its own kernel gradient, from its own forward and backward pass. The batch's "
                   "gradient is their sum divided by M, entry by entry: for the first entry, {w}. The bias "
                   f"gradients are averaged the same way, to {{b}}.{which} One gradient step uses these averages.", w=Num(P + ("dL_dkernel", (0, 0)), 3), b=Num(P + ("dL_dbias",), 3))

    def dense_average_narration(self):
        return say("The dense layer's gradients are averaged the same way. Each image's ∂L/∂W₂ is its error times "
                   "its features; their average, for the first weight, is {w}. And b₂'s gradient is the mean of the "
                   "errors A₂ minus y: {b}. One step then moves every weight by the learning rate times these "
                   "averages.", w=Num(P + ("dL_dfc_weight", (0, 0)), 3), b=Num(P + ("dL_dfc_bias",), 3))


class CnnPipelineScene(StoryScene):
    story = CnnPipelineStory
