# davis2016_masks.py - prepares DAVIS-2016 ground truth for the official DAVIS-2017 evaluator, for
# `colortrack-bench eval-davis`.
#
# SPDX-License-Identifier: MIT
# Part of the ColorTrack workbench benchmarks. Not part of the product.
#
# DAVIS 2016 stores each mask as 8-bit gray 0/255 (one file of the train subset is gray+alpha). The
# official 2017 evaluator (davisvideochallenge/davis2017-evaluation) reads palette indices and treats
# 255 as "void", so on 2016 files it finds no object at all. This writes, for every SRC/<seq>/*.png,
# DST/<seq>/<same name>.png as an 8-bit gray image with object id 1 where the gray value is >= 128 and
# 0 elsewhere (the usual binarisation of the 2016 masks). It reads the files with Pillow, independently
# of ColorTrack's own PNG reader, so the side-by-side comparison also checks how we read 2016 masks.
#
# usage: /usr/bin/python3 davis2016_masks.py SRC_ANNOTATIONS_480P DST SEQ [SEQ ...]
import os
import sys

import numpy as np
from PIL import Image


def main(argv):
    if len(argv) < 3:
        print("usage: davis2016_masks.py SRC DST SEQ [SEQ ...]", file=sys.stderr)
        return 2
    src, dst, sequences = argv[0], argv[1], argv[2:]
    written = 0
    for seq in sequences:
        os.makedirs(os.path.join(dst, seq), exist_ok=True)
        for name in sorted(os.listdir(os.path.join(src, seq))):
            if not name.endswith(".png"):
                continue
            gray = np.array(Image.open(os.path.join(src, seq, name)).convert("L"))
            Image.fromarray((gray >= 128).astype(np.uint8), mode="L").save(os.path.join(dst, seq, name))
            written += 1
    print(f"{written} masks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
