"""The Qt-free core: rules, data, services. Never imports PySide6 (import-linter contract)."""
