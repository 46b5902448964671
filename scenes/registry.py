"""Every renderable scene by its CLI name, in lecture order, and the choice of some of them."""

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


def chosen_scenes(listing: str | None = None) -> list[str]:
    """'NAME,NAME,...' (None: every scene) -> scene names in lecture order; ValueError if unknown."""
    if listing is None:
        return list(SCENES)
    names = [n.strip() for n in listing.split(",") if n.strip()]
    if not names:
        raise ValueError(f"no scene named; give names separated by commas from: {', '.join(SCENES)}")
    unknown = [n for n in names if n not in SCENES]
    if unknown:
        raise ValueError(f"unknown scene '{unknown[0]}'; choose from: {', '.join(SCENES)}")
    return [n for n in SCENES if n in set(names)]
