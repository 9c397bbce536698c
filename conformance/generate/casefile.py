"""What the project's case generators share: the FORMAT.md encoding of numbers and tensors, float32
rounding, and writing a case file (or printing the Hessians a test embeds, with --hessian)."""
import sys

import torch

from caselib import f32, num, tensor, write  # noqa: F401 (the generators import them from here)



def main(loss, cases, hessians):
    """Writes project/<loss>.jsonl from cases(), or runs hessians() when the script is given --hessian."""
    if "--hessian" in sys.argv:
        hessians()
        return
    write(loss, cases())
