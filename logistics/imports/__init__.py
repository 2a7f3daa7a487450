"""The platform's import engine (导入): XLSX/CSV upload → column mapping → preview with errors by row and
column → all-or-nothing apply, as Celery tasks with progress. Domain apps declare what a file holds with an
:class:`~logistics.imports.registry.Importer` registered in ``AppConfig.ready()``; the import record is a
concrete subclass of :class:`~logistics.imports.models.ImportRecord` in the app (its own permissions and row
scopes). See docs/PLATFORM_GUIDE.md § Imports. This package never imports a domain app.
"""
