#!/usr/bin/env python3
"""Writes the .npz fixtures of FileSelectionTest with real numpy (run from this directory).

The values are small and chosen so that the tests' expected losses can be worked out by hand:
  pred = [0.1, -2.0, 3.5], target = [0, 0.3, 0]: mse = (0.01 + 5.29 + 12.25) / 3 = 5.85
"""
import numpy as np

# np.savez: members stored (no compression), named by keyword + ".npy"
np.savez("stored.npz", pred=np.array([0.1, -2.0, 3.5]), target=np.array([0.0, 0.3, 0.0]),
         anchor=np.array([[0.0, 0.0]]), positive=np.array([[3.0, 4.0]]), negative=np.array([[0.0, 1.0]]))
# np.savez_compressed: members deflated; float32 predictions, an int32 (all-integer) target,
# logits [2, 3] with int64 labels
np.savez_compressed("deflated.npz", pred=np.array([0.5, 2.0, -1.0], dtype=np.float32),
                    target=np.array([1, 2, 0], dtype=np.int32),
                    logits=np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]]), labels=np.array([1, 2], dtype=np.int64))
# one positional array: numpy names it arr_0
np.savez("single.npz", np.array([0.1, -2.0, 3.5]))
