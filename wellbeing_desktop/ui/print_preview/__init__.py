"""Preview and print PDFs from memory: pypdfium2 renders pages to images (QtPdf is not in
PySide6-Essentials, DESIGN §10); printing paints those images on a QPrinter, one job per client."""
