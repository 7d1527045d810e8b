"""Build ``src/presslens/data/coref/first_names.tsv.gz`` from the nomquamgender package (MIT, Ian Van Buskirk).

  pip download --no-deps nomquamgender==0.1.4 && unzip nomquamgender-0.1.4-py3-none-any.whl -d nqg
  python scripts/build_coref_names.py nqg/nomquamgender/name_data.json

Keeps plain alphabetic first names seen at least MIN_COUNTS times; each line is ``name<TAB>p(female) in %``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

MIN_COUNTS = 50
OUT = Path(__file__).resolve().parents[1] / "src/presslens/data/coref/first_names.tsv.gz"
NAME = re.compile(r"^[a-z][a-z'-]{1,20}$")


def build(src: str, out: Path = OUT) -> int:
    data = json.loads(Path(src).read_text(encoding="utf-8"))
    lines = []
    for name, info in sorted(data.items()):
        if NAME.match(name) and info[1] >= MIN_COUNTS and isinstance(info[2], (int, float)):
            lines.append(f"{name}\t{round(100 * info[2])}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


if __name__ == "__main__":
    print(build(sys.argv[1]), "names ->", OUT)
