"""Build hook: put templates, static files and compiled translations inside the wheel.

In a source checkout they live beside the package (templates/, static/, translations/);
an installed wheel carries them as fieldapp/_shipped/, where create_app looks first.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "fieldapp" / "_shipped"
        for name in ("templates", "static", "translations"):
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(ROOT / name, destination, ignore=shutil.ignore_patterns("*.pot"))
        self._compile_catalogs(target / "translations")

    @staticmethod
    def _compile_catalogs(directory: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildWithResources})
