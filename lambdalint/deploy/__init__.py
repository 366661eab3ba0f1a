"""What a deployed function runs at init and what it will have: facts that need the template and the code.

`init_modules` follows the imports a handler module runs when the runtime loads
it; `manifests` reads the dependency lists next to a function's code;
`runtime_provided` says what the runtime itself brings. The RT006 / RT007 /
DF020 / DF021 rules are written against these.
"""
