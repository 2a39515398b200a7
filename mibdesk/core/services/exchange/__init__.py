"""The file drop as use cases: send, sync, register keys, look after the quarantine.

Format-level work (zip, manifest, signatures, the drop folder) is in `core/exchange`; this
package ties it to the office's database and to the services that apply what arrives.
"""
