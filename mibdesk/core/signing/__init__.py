"""Office signing keys (PKCS#12) and PAdES signatures on PDF forms.

`keys` creates, imports and loads an office's key and certificate; `sign` puts a PAdES
signature on a PDF; `verify` says who signed a PDF, when, whether it changed afterwards and
whether the signer is trusted. pyHanko is imported only inside `sign` and `verify`.
"""

from __future__ import annotations
