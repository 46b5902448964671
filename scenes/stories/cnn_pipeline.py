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
their first terms, "…" and their totals, the entry brought close when its digits are small.

Every number is read from ``lesson.pipeline`` (mathcore/batch.py); sizes and counts too, from
its ``shapes`` and ``parameter_counts``. The scene only chooses decimals and how much to show:
long feature vectors are shown by their first entries and an ellipsis. Each beat is given the
room under its title and places everything from the sizes of what it draws.
"""

from convprop.scenes.kit.layout import under
from convprop.scenes.stories.cnn_pipeline_backward import BackwardThroughTheNetwork
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
        with self.beat("The whole network, forward: the convolution, ReLU and max pooling turn the image into a small map."):
            title = self.show_title("The whole CNN, forward: the convolution layer")
            self.forward_through_the_convolution(under(title))
        self.clear()
        with self.beat("The map is flattened into the feature vector F; the dense layer, the sigmoid and the loss follow."):
            title = self.show_title("Forward: the dense layer and the loss")
            count = self.forward_through_the_dense_layer(under(title))
        with self.beat("Every weight and bias is a trainable parameter: the kernel and its bias, the dense weights and theirs."):
            self.count_the_parameters(count)
        self.clear()
        with self.beat("Backward, first through the dense layer: the error A2 minus y, and the weight gradient, shaped like W2."):
            title = self.show_title("Backward: the dense layer")
            self.backward_through_the_dense_layer(under(title))
        self.clear()
        with self.beat("The feature gradient is reshaped into P1's map; max pooling sends each gradient to the "
                       "cell that won its window; ReLU lets it through only where Z1 was positive."):
            title = self.show_title("Backward: the reshape, max pooling and ReLU")
            self.backward_through_pooling_and_relu(under(title))
        self.clear()
        with self.beat("The kernel gradient is the input correlated with dL/dZ1; the bias gradient is the sum of dL/dZ1."):
            title = self.show_title("Backward: the kernel and the bias")
            self.backward_to_the_kernel(under(title))
        self.clear()
        with self.beat("A mini-batch: every image goes through the same weights, one column of F per image."):
            title = self.show_title("A mini-batch: every image through the same weights")
            self.forward_on_the_batch(under(title))
        self.clear()
        with self.beat("Each image has its own kernel gradient; the batch's gradient is their sum divided by M."):
            title = self.show_title("The batch gradient is the average")
            self.average_the_kernel_gradients(under(title))
        self.clear()
        with self.beat("The dense layer's gradients are averaged the same way, and one step uses the averages."):
            title = self.show_title("The dense layer's gradients, averaged")
            self.average_the_dense_gradients(under(title))
        self.wait(1.5)


class CnnPipelineScene(StoryScene):
    story = CnnPipelineStory
