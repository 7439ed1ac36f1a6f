"""Export a fine-tuned BERT-style model (MiniLM) to int8 ONNX with its tokenizer, as the
run-time encoders read it: inputs input_ids, attention_mask, token_type_ids (batch x tokens).

    export_int8(model_dir, out, output="last_hidden_state")   # a sentence encoder
    export_int8(model_dir, out, output="logits")              # a cross-encoder's classifier
"""

from __future__ import annotations

import shutil
from pathlib import Path

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_int8(model_dir: Path, out: Path, *, output: str) -> None:
    """`model_dir` (a transformers folder with tokenizer.json) -> out/model.onnx (dynamic
    int8 quantisation) and out/tokenizer.json. `output` is "last_hidden_state" (the runtime
    mean-pools as sentence-transformers does) or "logits"."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoModelForSequenceClassification

    loader = AutoModelForSequenceClassification if output == "logits" else AutoModel

    class Named(torch.nn.Module):
        """Named inputs in a fixed order (transformers' forward takes more, in another order)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = loader.from_pretrained(str(model_dir)).eval()

        def forward(self, input_ids, attention_mask, token_type_ids):
            found = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return getattr(found, output)

    out.mkdir(parents=True, exist_ok=True)
    ids = torch.ones((1, 16), dtype=torch.long)
    full = out / "model-fp32.onnx"
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    axes[output] = {0: "batch", 1: "tokens"} if output == "last_hidden_state" else {0: "batch"}
    torch.onnx.export(
        Named().eval(),
        (ids, ids, torch.zeros_like(ids)),
        str(full),
        input_names=list(INPUTS),
        output_names=[output],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(full), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    shutil.copy(model_dir / "tokenizer.json", out / "tokenizer.json")
