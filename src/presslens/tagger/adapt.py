"""Low-rank adaptation of MiniLM's upper layers in PyTorch (training only; run time reads the updates with
``tagger.minilm.adapted_layers``, in NumPy).

``LoraTop`` holds the frozen weights of MiniLM's layers from *low* on, in the orientation of ``MiniLM.layers``
(``x @ W``), and trainable updates ``A @ B * alpha / rank`` of the matrices ``minilm.ADAPTED`` of each. Its input
is the states after the lower layers (computed once, in NumPy, by ``minilm.forward(..., upto=low)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from presslens.tagger.minilm import ADAPTED, WIDTH, MiniLM


def lora_top(enc: MiniLM, low: int, rank: int, alpha: float) -> Any:
    """A ``torch.nn.Module``: ``top(x, mask)`` runs layers *low*.. with the updates; ``A``/``B`` are the updates,
    in the order ``adapted_layers`` reads them (``lora_a{k}``/``lora_b{k}``)."""
    import torch

    F = torch.nn.functional
    base = [[torch.tensor(np.asarray(w, dtype=np.float32)) for w in layer] for layer in enc.layers[low:]]
    heads, eps = enc.heads, enc.eps

    class LoraTop(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale = alpha / rank
            self.A = torch.nn.ParameterList()
            self.B = torch.nn.ParameterList()
            for layer in base:
                for pos in ADAPTED:
                    w = layer[pos]
                    self.A.append(torch.nn.Parameter(torch.randn(w.shape[0], rank) / np.sqrt(w.shape[0])))
                    self.B.append(torch.nn.Parameter(torch.zeros(rank, w.shape[1])))

        def forward(self, x: Any, mask: Any) -> Any:
            b, t, _ = x.shape
            d = WIDTH // heads
            neg = (1 - mask)[:, None, None, :] * -1e9
            for n, L in enumerate(base):
                W = [L[pos] + self.A[4 * n + j] @ self.B[4 * n + j] * self.scale for j, pos in enumerate(ADAPTED)]
                qkv = (x @ W[0] + L[1]).reshape(b, t, 3, heads, d)
                q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))
                a = torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(d) + neg, -1)
                c = (a @ v).transpose(1, 2).reshape(b, t, heads * d)
                x = F.layer_norm(x + c @ W[1] + L[3], (WIDTH,), L[4], L[5], eps)
                f = F.gelu(x @ W[2] + L[7])
                x = F.layer_norm(x + f @ W[3] + L[9], (WIDTH,), L[10], L[11], eps)
            return x

        def updates(self) -> dict[str, np.ndarray]:
            out = {}
            for k in range(len(self.A)):
                out[f"lora_a{k}"] = self.A[k].detach().numpy().astype(np.float16)
                out[f"lora_b{k}"] = self.B[k].detach().numpy().astype(np.float16)
            return out

    return LoraTop()
