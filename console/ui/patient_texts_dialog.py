"""Editor of a department's messages to patients: one wording per purpose and language.

Superusers open it from the messages view. Each purpose (re-measure request, reminder about a
missing measurement, video invitation) has a text per language the patients read (nb, nn, en);
an empty text or the default's own means the built-in default. The preview fills the
placeholders with an example, so the editor sees what a patient reads. Non-modal (`open()`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import MeasurementKind
from console.domain.patient_texts import (
    DEFAULTS,
    LANGUAGES,
    Purpose,
    TemplateKey,
    compose,
    template_errors,
)
from console.services.patient_texts import PatientTexts
from console.tasks import TaskKeeper


def purpose_text(purpose: Purpose) -> str:
    return {
        Purpose.REMEASURE: QCoreApplication.translate(
            "PatientTextsEditor", "Request to measure again"
        ),
        Purpose.REMINDER: QCoreApplication.translate(
            "PatientTextsEditor", "Reminder about a missing measurement"
        ),
        Purpose.VIDEO: QCoreApplication.translate("PatientTextsEditor", "Video call invitation"),
    }[purpose]


def language_text(language: str) -> str:
    return {
        "nb": QCoreApplication.translate("PatientTextsEditor", "Bokmål"),
        "nn": QCoreApplication.translate("PatientTextsEditor", "Nynorsk"),
        "en": QCoreApplication.translate("PatientTextsEditor", "English"),
    }[language]


class PatientTextsEditor(QDialog):
    def __init__(
        self,
        texts: PatientTexts,
        department_id: str,
        department_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.texts = texts
        self.department_id = department_id
        self._edited: dict[TemplateKey, str] = {}
        self._tasks = TaskKeeper(self._failed)
        title = QCoreApplication.translate("PatientTextsEditor", "Messages to patients")
        self.setWindowTitle(f"{title} – {department_name}" if department_name else title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        intro = QLabel(
            QCoreApplication.translate(
                "PatientTextsEditor",
                "What the console sends patients, in the patient's own language. The "
                "department shares these texts; an empty text uses the built-in one. "
                "Placeholders: {first_name}, {measurement}, {due}, {link}, {nurse}, {service}.",
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        form = QFormLayout()
        self.purpose = QComboBox(self)
        self.purpose.setAccessibleName(
            QCoreApplication.translate("PatientTextsEditor", "Which message")
        )
        for purpose in Purpose:
            self.purpose.addItem(purpose_text(purpose), purpose)
        self.language = QComboBox(self)
        self.language.setAccessibleName(
            QCoreApplication.translate("PatientTextsEditor", "Language the patient reads")
        )
        for language in LANGUAGES:
            self.language.addItem(language_text(language), language)
        form.addRow(QCoreApplication.translate("PatientTextsEditor", "&Message:"), self.purpose)
        form.addRow(QCoreApplication.translate("PatientTextsEditor", "&Language:"), self.language)
        layout.addLayout(form)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(
            QCoreApplication.translate("PatientTextsEditor", "Text of the message")
        )
        layout.addWidget(self.text, 1)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAccessibleName(QCoreApplication.translate("PatientTextsEditor", "Preview"))
        layout.addWidget(self.preview)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(QCoreApplication.translate("PatientTextsEditor", "Status"))
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.default_button = QPushButton(
            QCoreApplication.translate("PatientTextsEditor", "Use the &default"), self
        )
        self.save_button = QPushButton(QCoreApplication.translate("PatientTextsEditor", "&Save"))
        self.close_button = QPushButton(
            QCoreApplication.translate("PatientTextsEditor", "&Close"), self
        )
        for button in (self.default_button, self.save_button, self.close_button):
            button.setAccessibleName(button.text().replace("&", ""))
            row.addWidget(button)
        row.insertStretch(1, 1)
        layout.addLayout(row)
        self.default_button.clicked.connect(self._use_default)
        self.save_button.clicked.connect(self._save)
        self.close_button.clicked.connect(self.close)
        self.purpose.currentIndexChanged.connect(lambda _i: self._show())
        self.language.currentIndexChanged.connect(lambda _i: self._show())
        self.text.textChanged.connect(self._changed)
        self.resize(720, 420)
        self._tasks.spawn(self._load(), "load-patient-texts")

    def key(self) -> TemplateKey:
        return TemplateKey(Purpose(self.purpose.currentData()), str(self.language.currentData()))

    async def _load(self) -> None:
        await self.texts.templates(self.department_id)
        self._show()

    def _show(self) -> None:
        key = self.key()
        stored = self.texts.cached(self.department_id).get(key)
        text = self._edited.get(key) or (
            stored.text if stored else DEFAULTS[key.purpose][key.language]
        )
        self.text.blockSignals(True)
        self.text.setPlainText(text)
        self.text.blockSignals(False)
        self._preview()

    def _changed(self) -> None:
        self._edited[self.key()] = self.text.toPlainText()
        self._preview()

    def _preview(self) -> None:
        key = self.key()
        text = self.text.toPlainText()
        errors = template_errors(text)
        if errors:
            self.preview.setText(
                QCoreApplication.translate("PatientTextsEditor", "Unknown placeholder: %1").replace(
                    "%1", ", ".join(errors)
                )
            )
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        example = compose(
            key.purpose,
            key.language,
            overrides={key: text},
            first_name="Kari",
            kind=MeasurementKind.BLOOD_PRESSURE,
            due="08:00",
            link="https://video.kommune.no/dho-…",
            nurse=self.texts.me.name,
            service=self.texts.me.organization_name,
        )
        self.preview.setText(
            QCoreApplication.translate("PatientTextsEditor", "The patient reads: %1").replace(
                "%1", example
            )
        )

    def _use_default(self) -> None:
        key = self.key()
        self.text.setPlainText(DEFAULTS[key.purpose][key.language])

    def _save(self) -> None:
        key, text = self.key(), self.text.toPlainText()
        self.save_button.setEnabled(False)
        self.status.setText(QCoreApplication.translate("PatientTextsEditor", "Saving…"))
        self._tasks.spawn(self._store(key, text), "save-patient-text")

    async def _store(self, key: TemplateKey, text: str) -> None:
        await self.texts.save(self.department_id, key, text)
        await self.texts.templates(self.department_id)
        self._edited.pop(key, None)
        self.save_button.setEnabled(True)
        self.status.setText(QCoreApplication.translate("PatientTextsEditor", "Saved."))

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(
            QCoreApplication.translate("PatientTextsEditor", "Not saved: %1").replace(
                "%1", str(exc)
            )
        )

    async def aclose(self) -> None:
        await self._tasks.cancel_all()
