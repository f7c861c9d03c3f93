"""Printed documents: a plain data snapshot rendered to PDF with reportlab."""
