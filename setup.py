"""Build step: compile the translation catalogs (translations/*/LC_MESSAGES/messages.po).

Everything else is configured in pyproject.toml. Templates and static files reach the wheel
as package data (fieldapp/templates and fieldapp/static link to the top-level folders). The
compiled catalogs (.mo) are not kept in git, so they are made here, from the .po files, as
one of the `build` sub-commands setuptools runs for a wheel and an editable install alike:
into the wheel's build folder, or beside the .po files for an editable install.
"""

from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build

CATALOGS = "fieldapp/translations"


class CompileCatalogs(Command):
    description = "compile the gettext catalogs (.po) into .mo files"
    user_options = []

    def initialize_options(self):
        self.build_lib = None
        self.editable_mode = False

    def finalize_options(self):
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))

    def _sources(self) -> list[Path]:
        return sorted(Path(CATALOGS).glob("*/LC_MESSAGES/messages.po"))

    def _target(self, po: Path) -> Path:
        mo = po.with_suffix(".mo")
        return mo if self.editable_mode else Path(self.build_lib) / mo

    def run(self):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in self._sources():
            with po.open("rb") as po_file:
                catalog = read_po(po_file, locale=po.parent.parent.name)
            target = self._target(po)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as mo_file:
                write_mo(mo_file, catalog)

    # What setuptools asks every build sub-command (sdist and editable installs use these).
    def get_source_files(self):
        return [str(po) for po in self._sources()]

    def get_outputs(self):
        return [str(self._target(po)) for po in self._sources()]

    def get_output_mapping(self):
        return {str(self._target(po)): str(po) for po in self._sources()}


class Build(build):
    sub_commands = [*build.sub_commands, ("compile_catalogs", None)]


setup(cmdclass={"build": Build, "compile_catalogs": CompileCatalogs})
