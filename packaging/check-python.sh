#!/usr/bin/env bash
# Is the Python that `make` would use one the console supports (3.11, 3.12 or 3.13)?
# Says what to install when it is not, instead of a pip error about PySide6 or numpy.
set -euo pipefail
python="${1:-}" venv_python="${2:-}"
if [[ -x "$venv_python" ]]; then python="$venv_python"; fi  # an existing .venv decides
explain() {
  cat >&2 <<MSG
make: $1
The console needs Python 3.11, 3.12 or 3.13 (PySide6 6.11.3 and numpy 2.4 have wheels for them).
  Debian 12:     sudo apt-get install python3 python3-venv          (3.11)
  Ubuntu 24.04:  sudo apt-get install python3 python3-venv          (3.12)
  otherwise:     install one (e.g. pyenv install 3.12) and run  make PYTHON=/path/to/python3.12
MSG
  exit 1
}
[[ -n "$python" ]] || explain "no python3 found on PATH."
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
  || explain "$python does not run."
case "$version" in
  3.11|3.12|3.13) ;;
  *) explain "$python is Python $version." ;;
esac
if [[ ! -x "$venv_python" ]] && ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  explain "$python has no venv/ensurepip module (Debian/Ubuntu: install python3-venv or python$version-venv)."
fi
