"""Every renderable scene by its CLI name, in lecture order."""

from convprop.scenes.chain_rule import ChainRuleScene
from convprop.scenes.cnn_pipeline import CnnPipelineScene
from convprop.scenes.forward_pass import ForwardPassScene
from convprop.scenes.input_gradient import InputGradientScene
from convprop.scenes.kernel_gradient import KernelGradientScene
from convprop.scenes.learning_rate import LearningRateScene
from convprop.scenes.loss_gradient import LossGradientScene
from convprop.scenes.mlp_worked_example import MlpWorkedExampleScene
from convprop.scenes.weight_update import WeightUpdateScene

SCENES = {cls.story.name: cls for cls in (
    ForwardPassScene, LossGradientScene, ChainRuleScene, KernelGradientScene, WeightUpdateScene, InputGradientScene,
    CnnPipelineScene, MlpWorkedExampleScene, LearningRateScene,
)}
