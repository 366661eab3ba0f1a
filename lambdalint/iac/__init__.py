"""The IaC reader: the functions a project deploys, read from its templates, `serverless.yml` and CDK code.

Read once per run, before the project index is built, so that the handlers
the IaC names join the handler set (with their runtimes). Which files are
templates (`discover`) is light; the readers (`reader`: YAML, CloudFormation,
CDK) load on first use, so a run answered by the findings cache never loads them.
"""
from __future__ import annotations

from lambdalint.iac.discover import read_template_text, templates_of_run
from lambdalint.iac.records import IacFunction, IacProject, Layer, Located

__all__ = ["IacFunction", "IacProject", "Layer", "Located", "Resolution", "add_cdk", "load_iac", "read_template",
           "read_template_text", "templates_of_run"]
_READER = frozenset({"load_iac", "add_cdk", "read_template", "handler_specs", "runtimes_of", "Resolution"})


def __getattr__(name: str):
    if name in _READER:
        from lambdalint.iac import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
