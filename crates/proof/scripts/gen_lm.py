#!/usr/bin/env python3
"""Derives the proofreader's word-bigram model (crates/proof/data/lm/) from
the open-gram statistical language model shipped by Debian's
`sunpinyin-data` package (licence CC BY-SA 3.0; see docs/proofreading.md).

Regenerate with (as root on a Debian machine; from the workspace root):

    apt-get install sunpinyin-data sunpinyin-utils
    python3 crates/proof/scripts/gen_lm.py \
        /usr/lib/x86_64-linux-gnu/sunpinyin/data crates/proof/data/lm

What it does: `tslminfo -v` (sunpinyin-utils) prints the threaded trigram
model lm_sc.t3g as ARPA-like text with word ids and -ln probabilities; the
ids are mapped to words through the string table at the end of the
lexicon pydict_sc.bin (84,154 UCS-4 strings, in id order). Only words made
of Han characters are kept, with their unigram probability and back-off
weight and every bigram between two such words; trigrams are dropped.

Output (all little-endian):
- words.txt: the kept words, one a line; line k is word id k;
- lm.bin: "TZLM0001", u32 word count N, u32 bigram count M, then N bytes
  of quantised -ln P(w) (step 0.1), N bytes of quantised back-off weights
  (-ln, step 0.05 from -0.5), N+1 u32 offsets into the bigram table, and M
  u32 bigram entries (w2 << 8 | quantised -ln P(w2|w1), step 0.1), grouped
  by w1 and sorted by w2 within each group.
"""

import os
import re
import struct
import subprocess
import sys

HAN = re.compile(r"^[\u3400-\u9fff]+$")
P_STEP = 0.1
BOW_STEP = 0.05
BOW_BASE = -0.5


def lexicon(path):
    data = open(path, "rb").read()
    n_words, _n_nodes, strings_at = struct.unpack("<3I", data[:12])
    words, p = [], strings_at
    while len(words) < n_words:
        s = []
        while True:
            (c,) = struct.unpack("<I", data[p : p + 4])
            p += 4
            if c == 0:
                break
            s.append(chr(c))
        words.append("".join(s))
    assert p == len(data), "unexpected layout of pydict_sc.bin"
    return words


def q(x, step, base=0.0):
    return max(0, min(255, int(round((x - base) / step))))


def main():
    src, out = sys.argv[1], sys.argv[2]
    words = lexicon(os.path.join(src, "pydict_sc.bin"))
    dump = subprocess.run(
        ["tslminfo", "-v", os.path.join(src, "lm_sc.t3g")], check=True, capture_output=True, text=True
    ).stdout
    uni, bigrams, new_id, section = {}, {}, {}, None
    for line in dump.splitlines():
        if line.startswith("\\"):
            section = line[1]
            continue
        p = line.split()
        if section == "1":
            i = int(p[0])
            if HAN.match(words[i]):
                new_id[i] = len(new_id)
                uni[new_id[i]] = (float(p[1]), float(p[2]))
        elif section == "2":
            a, b = int(p[0]), int(p[1])
            if a in new_id and b in new_id:
                bigrams.setdefault(new_id[a], []).append((new_id[b], float(p[2])))
        elif section == "3":
            break
    n = len(new_id)
    assert n < (1 << 24)
    vocab = [None] * n
    for old, new in new_id.items():
        vocab[new] = words[old]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "words.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    offsets, table = [0], []
    for w1 in range(n):
        for w2, lp in sorted(bigrams.get(w1, [])):
            table.append((w2 << 8) | q(lp, P_STEP))
        offsets.append(len(table))
    with open(os.path.join(out, "lm.bin"), "wb") as f:
        f.write(b"TZLM0001")
        f.write(struct.pack("<2I", n, len(table)))
        f.write(bytes(q(uni[i][0], P_STEP) for i in range(n)))
        f.write(bytes(q(uni[i][1], BOW_STEP, BOW_BASE) for i in range(n)))
        f.write(struct.pack(f"<{n + 1}I", *offsets))
        f.write(struct.pack(f"<{len(table)}I", *table))
    print(f"{n} words, {len(table)} bigrams", file=sys.stderr)


if __name__ == "__main__":
    main()
