"""Every renderable scene by its CLI name, in lecture order."""

from convprop.scenes.stories.chain_rule import ChainRuleScene
from convprop.scenes.stories.cnn_pipeline import CnnPipelineScene
from convprop.scenes.stories.forward_pass import ForwardPassScene
from convprop.scenes.stories.input_gradient import InputGradientScene
from convprop.scenes.stories.kernel_gradient import KernelGradientScene
from convprop.scenes.stories.learning_rate import LearningRateScene
from convprop.scenes.stories.loss_gradient import LossGradientScene
from convprop.scenes.stories.mlp_worked_example import MlpWorkedExampleScene
from convprop.scenes.stories.weight_update import WeightUpdateScene

SCENES = {cls.story.name: cls for cls in (
    ForwardPassScene, LossGradientScene, ChainRuleScene, KernelGradientScene, WeightUpdateScene, InputGradientScene,
    CnnPipelineScene, MlpWorkedExampleScene, LearningRateScene,
)}
