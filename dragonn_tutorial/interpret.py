"""Looking inside trained models: one import for every interpretation tool.

A thin facade; each concept lives in its own module:

* :mod:`~dragonn_tutorial.filters` - model-centred: ``filter_weights``,
  ``layer_outputs`` (activations of named layers), ``match_filters_to_motifs``
  (which known motif each first-layer filter resembles, against a shuffled null).
* :mod:`~dragonn_tutorial.ism` - ``ism``: in-silico mutagenesis of every base,
  or of given variants (``variants=``), for any Keras model.
* :mod:`~dragonn_tutorial.gradients` - ``logits``, ``gradient_x_input`` and
  ``integrated_gradients``, for any Keras model.
* :mod:`~dragonn_tutorial.deeplift` - ``deeplift``: DeepLIFT's Rescale rule with
  the exact max-pool rule, averaged over references; contributions sum to
  ``logit(x) - logit(reference)`` (checked for every pair). Functional models with
  branches and several inputs; recurrent layers and attention are refused.
* :mod:`~dragonn_tutorial.references` - ``make_references`` (dinucleotide
  shuffles, GC-matched, zeros, your own).
* :mod:`~dragonn_tutorial.attribution_scores` - ``motif_recovery`` scores any of
  them against the simulation's truth.

Every method explains the pre-sigmoid logit of one task by default (the sigmoid
squashes differences between confident predictions). Models with several inputs
take ``X`` as a list or dict; the one-hot input named by ``explain`` is explained
and the others are held at their values.
"""
from __future__ import annotations

from .attribution_scores import motif_recovery
from .deeplift import RULES, deeplift, multipliers
from .filters import _centered, filter_weights, layer_outputs, match_filters_to_motifs
from .gradients import IGResult, gradient_x_input, integrated_gradients, logits
from .ism import ISMResult, ism
from .references import REFERENCES, make_references

__all__ = ["filter_weights", "layer_outputs", "match_filters_to_motifs", "ism", "ISMResult", "logits",
           "gradient_x_input", "integrated_gradients", "IGResult", "deeplift", "multipliers", "RULES",
           "make_references", "REFERENCES", "motif_recovery", "_centered"]
