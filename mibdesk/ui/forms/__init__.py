"""The official forms in the GUI: the 正式报表 button of the report, plan and execution screens
(preview and print, system viewer, save, the head's signature) and 验证PDF… for any PDF."""
