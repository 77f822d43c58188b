"""A full disk and a read-only data directory: a clear one-line error, nothing stored damaged.

The store lives on a tiny tmpfs (disk full) or a read-only bind mount, made in a private
mount namespace (`unshare -rm`), so the test needs no privileges and touches nothing else.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import REPO, shared

QUESTION = "How many Cuban officers were killed?"


def _in_namespace(script: str, tmp_path) -> list[str]:
    """Run a bash script in a private mount namespace; its stdout lines."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    done = subprocess.run(
        ["unshare", "-rm", "bash", "-c", f"set -u\n{script}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)},
    )
    if "NO-MOUNT" in done.stdout:
        pytest.skip(f"cannot mount in a private namespace here: {done.stderr.strip()[:200]}")
    return [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]


def _py() -> str:
    import sys

    return sys.executable


@pytest.mark.slow
def test_disk_full_is_one_clear_error_and_nothing_stored_is_damaged(tmp_path, seed_path):
    bbc = " ".join(str(p) for p in sorted(shared("bbc/business").glob("*.txt"))[:40])
    py = _py()
    lines = _in_namespace(
        f"""
D={tmp_path}/small
mkdir -p $D
mount -t tmpfs -o size=1m tmpfs $D || {{ echo NO-MOUNT; exit 0; }}
export CHROMA_PATH=$D/chroma
{py} -m ingest -q {seed_path} >/dev/null; echo "SEED $?"
timeout 240 {py} -m ingest -q {bbc} 2>&1 | grep -v '^  ' | sed 's/^/FULL /'
echo "FULLRC ${{PIPESTATUS[0]}}"
mount -o remount,size=64m $D
echo "ASK $({py} -m retrieval.cli --json '{QUESTION}')"
echo "STATS $({py} -m ingest --stats --json)"
timeout 240 {py} -m ingest -q {bbc} >/dev/null; echo "AGAIN $?"
echo "AFTER $({py} -m ingest --stats --json)"
{py} -c "
from retrieval.settings import Settings; from retrieval.search.store import PassageStore
s = PassageStore(Settings())
owners = {{m['article_id'] for _, _, m in s.iter_passages()}}
print('OWNERS', len(owners), s.count_articles())"
""",
        tmp_path,
    )
    got = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines if " " in line}
    assert got["SEED"] == "0"
    full = [line for line in lines if line.startswith("FULL ")]
    assert got["FULLRC"] == "2"
    assert len(full) == 1 and "news-ingest: error: could not write" in full[0]
    assert "disk" in full[0] and "Traceback" not in "\n".join(lines)
    # Space back: what was stored before answers as before, and the failed batch left nothing.
    answer = json.loads(got["ASK"])
    assert answer["answer"].startswith("**32**")
    assert json.loads(got["STATS"])["articles"] == 1
    # Running the same ingest again finishes it: no duplicates, no orphan passages.
    assert got["AGAIN"] == "0"
    after = json.loads(got["AFTER"])
    assert after["articles"] == 41
    assert got["OWNERS"] == "41 41"


@pytest.mark.slow
def test_read_only_data_directory_is_one_clear_error(tmp_path, seed_path):
    py = _py()
    lines = _in_namespace(
        f"""
D={tmp_path}/ro
mkdir -p $D
export CHROMA_PATH=$D/chroma
{py} -m ingest -q {seed_path} >/dev/null; echo "SEED $?"
mount --bind $D $D && mount -o remount,ro,bind $D || {{ echo NO-MOUNT; exit 0; }}
timeout 240 {py} -m ingest -q {REPO / "samples"} 2>&1 | sed 's/^/RO /'
echo "RORC ${{PIPESTATUS[0]}}"
umount $D
echo "ASK $({py} -m retrieval.cli --json '{QUESTION}')"
echo "STATS $({py} -m ingest --stats --json)"
""",
        tmp_path,
    )
    got = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines if " " in line}
    assert got["SEED"] == "0" and got["RORC"] == "2"
    errors = [line for line in lines if line.startswith("RO ")]
    assert len(errors) == 1 and errors[0].startswith("RO news-ingest: error: cannot open")
    assert "readonly" in errors[0] or "read-only" in errors[0]
    assert json.loads(got["ASK"])["answer"].startswith("**32**")
    assert json.loads(got["STATS"])["articles"] == 1
