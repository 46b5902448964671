"""Every renderable scene by its CLI name, in lecture order."""

from scenes.chain_rule import ChainRuleScene
from scenes.cnn_pipeline import CnnPipelineScene
from scenes.forward_pass import ForwardPassScene
from scenes.input_gradient import InputGradientScene
from scenes.kernel_gradient import KernelGradientScene
from scenes.learning_rate import LearningRateScene
from scenes.loss_gradient import LossGradientScene
from scenes.mlp_worked_example import MlpWorkedExampleScene
from scenes.weight_update import WeightUpdateScene

SCENES = {cls.story.name: cls for cls in (
    ForwardPassScene, LossGradientScene, ChainRuleScene, KernelGradientScene, WeightUpdateScene, InputGradientScene,
    CnnPipelineScene, MlpWorkedExampleScene, LearningRateScene,
)}
