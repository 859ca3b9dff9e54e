"""The answering core: question -> query -> passages -> candidates -> features -> scores -> answer.

Each step is a small module; cue words come from `resources/lang/*.yaml`, domain words from the
domain packs, and how much each signal counts from `resources/model.json`, fitted by
`benchmarks/train.py`. No French or English phrase is written in this package's Python.
"""

from gpu_brief.qa.engine import Engine
from gpu_brief.qa.result import Answer, Citation

__all__ = ["Answer", "Citation", "Engine"]
