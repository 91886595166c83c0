"""Lifting a Functional model into the IR.

Starting from ``keras.Model(inputs, outputs)``, the statements from the first
``keras.Input`` up to that call are read forward: layer calls (chained, nested,
on named or shared layers, on other models), tensor expressions and merge
functions, ``for`` loops and ``if`` statements that carry tensors (lifted by
``blocks``), and statements that touch no tensor (kept verbatim).  Anything
else that touches a tensor is refused with the line that does it.  What a call
calls is decided in call_kinds.py, an expression becomes ``Code`` in placeholders.py.

``lifter.py`` reads the statements, ``bindings.py`` binds names to what they
hold, ``statement_kinds.py`` tells what a statement is, and ``forms.py`` reads
the syntax they share.
"""
