"""The exchange screen (文件交换): outbox, inbox history, quarantine, keys, sync; the automatic
sync and its state in the status bar; the "send" actions of the report and plan screens."""
