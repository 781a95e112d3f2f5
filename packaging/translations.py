"""Qt Linguist workflow: extract strings into .ts files, compile .qm files, check completeness.

    python packaging/translations.py update    # sources -> resources/translations/dho_*.ts
    python packaging/translations.py release   # .ts -> .qm
    python packaging/translations.py check     # fail on untranslated nb/nn strings or stale files
    python packaging/translations.py adopt OLD_DIR_OR_TS...
        # after a merge: take translations for strings still unfinished here from other
        # copies of the .ts files (same language, same context and source text)

English is the source language; nb and nn must translate every string; en exists for plurals.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGUAGES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
REQUIRED = ("nb", "nn")
#: Our translations of Qt's own strings, written by hand (not lupdate): Bokmål (Qt ships
#: qtbase_nn but no nb) and the file-dialog labels Qt's Nynorsk misses.
QT_EXTRA = ("qtbase_nb", "qtbase_nn_extra")


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found; install PySide6 in this environment")
    return found


def sources() -> list[str]:
    files = [*sorted((ROOT / "console").rglob("*.py")), *sorted((ROOT / "widgets").rglob("*.py"))]
    return [str(p.relative_to(ROOT)) for p in files]


def update(target_dir: Path = TS_DIR) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for lang, locale in LANGUAGES.items():
        ts = target_dir / f"dho_{lang}.ts"
        if target_dir != TS_DIR and (TS_DIR / ts.name).exists():
            shutil.copy(TS_DIR / ts.name, ts)
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                "-silent",
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                locale,
                *sources(),
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )
        out.append(ts)
    return out


def release(source_dir: Path = TS_DIR, target_dir: Path = TS_DIR) -> list[Path]:
    out = []
    for lang in LANGUAGES:
        ts = source_dir / f"dho_{lang}.ts"
        qm = target_dir / f"dho_{lang}.qm"
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    for name in QT_EXTRA:
        ts, qm = source_dir / f"{name}.ts", target_dir / f"{name}.qm"
        if not ts.exists():
            ts = TS_DIR / ts.name
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(ts)
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def untranslated(ts: Path) -> list[str]:
    missing = []
    for (context, source), message in messages(ts).items():
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(f"{context}: {source!r}")
            continue
        forms = translation.findall("numerusform")
        texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
        if not all(t.strip() for t in texts):
            missing.append(f"{context}: {source!r}")
    return missing


def check() -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = update(Path(tmp))
        for ts in fresh:
            committed = TS_DIR / ts.name
            if not committed.exists():
                problems.append(f"{committed.name} is missing: run `make translations`")
                continue
            if set(messages(ts)) != set(messages(committed)):
                new = set(messages(ts)) - set(messages(committed))
                gone = set(messages(committed)) - set(messages(ts))
                problems.append(
                    f"{committed.name} is out of date with the code (new: {sorted(new)[:5]}, "
                    f"gone: {sorted(gone)[:5]}): run `make translations`"
                )
        for lang in REQUIRED:
            for item in untranslated(TS_DIR / f"dho_{lang}.ts"):
                problems.append(f"dho_{lang}.ts: untranslated {item}")
        compiled = release(TS_DIR, Path(tmp))
        for qm in compiled:
            committed = TS_DIR / qm.name
            if not committed.exists() or committed.read_bytes() != qm.read_bytes():
                problems.append(f"{qm.name} is stale: run `make translations`")
    return problems


def _is_done(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    forms = translation.findall("numerusform")
    texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
    return all(t.strip() for t in texts)


def adopt(donors: list[Path]) -> dict[str, int]:
    """Fill unfinished messages of the committed .ts files from donor copies.

    Merging two branches that each added strings leaves the union of strings after `update`,
    with one side's translations lost to the conflict; the other side's .ts (for example
    ``git show OTHER:resources/translations/dho_nb.ts > /tmp/other/dho_nb.ts``) is the donor.
    A donor is a .ts file or a folder holding ``dho_<lang>.ts`` files.
    """
    filled: dict[str, int] = {}
    for lang in LANGUAGES:
        target = TS_DIR / f"dho_{lang}.ts"
        files = [d / f"dho_{lang}.ts" if d.is_dir() else d for d in donors]
        files = [f for f in files if f.exists() and f.name == target.name]
        known: dict[tuple[str, str], ET.Element] = {}
        for f in files:
            for key, message in messages(f).items():
                if _is_done(message) and key not in known:
                    known[key] = message
        tree = ET.parse(target)
        count = 0
        for context in tree.getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                key = (name, message.findtext("source") or "")
                donor = known.get(key)
                if _is_done(message) or donor is None:
                    continue
                old = message.find("translation")
                if old is not None:
                    message.remove(old)
                new = donor.find("translation")
                assert new is not None
                message.append(copy.deepcopy(new))
                count += 1
        if count:
            ET.indent(tree, space="    ")
            body = ET.tostring(tree.getroot(), encoding="unicode")
            target.write_text(
                '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                encoding="utf-8",
            )
        filled[lang] = count
    return filled


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        for ts in update():
            print(f"updated {ts.relative_to(ROOT)}")
    elif command == "release":
        for qm in release():
            print(f"compiled {qm.relative_to(ROOT)}")
    elif command == "adopt":
        for lang, count in adopt([Path(a) for a in argv[2:]]).items():
            print(f"dho_{lang}.ts: {count} translations adopted")
        if len(argv) > 2:
            update()  # lupdate's own formatting again
            release()
    elif command == "check":
        problems = check()
        for p in problems:
            print(p)
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
