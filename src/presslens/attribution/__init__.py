"""Learned attribution: a BiLSTM-CRF tagger of sources, cues and contents trained on PolNeAR.

``features`` turns a parsed Doc into model inputs, ``model`` runs the shipped tagger with NumPy, ``decode``
groups the tagged spans into attributions, ``train`` (PyTorch) rebuilds the model from PolNeAR.
"""
