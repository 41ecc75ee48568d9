"""Enums that carry their own French label, as Indico's RichEnum carries `__titles__`."""

import enum


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose class body maps each value to its label: `__labels__ = {"a": _l("A")}`."""

    __labels__: dict[str, str] = {}

    @property
    def label(self) -> str:
        """The member's label, translated into the current locale when it is rendered."""
        return self.__labels__[self.value]
