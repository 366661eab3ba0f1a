"""What the IaC readers produce: plain records of the functions a project deploys.

Every value keeps where it is written (`Located`), so a finding about an
inherited `Globals` value points at the `Globals` line. A value the reader
could not know (an intrinsic function, a `${…}` variable, a computed CDK prop)
is None: unknown, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from lambdalint.findings import Finding, Span


@dataclass(frozen=True)
class Located:
    value: str
    path: str                          # display path of the file the value is written in
    span: Span


@dataclass
class Event:
    type: str                          # SAM event type (`SQS`, `Kinesis`, `HttpApi`…), or `EventSourceMapping`
    name: str
    span: Span
    path: str


@dataclass
class Layer:
    """A layer built in the same template from local content (`ContentUri` / `Content`)."""

    logical_id: str
    content_dir: Optional[str]         # absolute folder; None when built (`Metadata: BuildMethod`) or not local


@dataclass
class IacFunction:
    source: str                        # "sam" | "cloudformation" | "serverless" | "cdk"
    path: str                          # display path of the template (or CDK source file)
    logical_id: str
    span: Span                         # where the function is declared
    handler: Optional[Located] = None  # None: no literal handler
    handler_unknown: bool = False      # a handler is given but is not a literal
    runtime: Optional[Located] = None
    runtime_unknown: bool = False
    code_root: Optional[str] = None    # absolute folder of the function's code; None: unknown (S3, intrinsic)
    inline: bool = False               # InlineCode / ZipFile / Code.fromInline: the file is `index.*`
    inline_code: Optional[str] = None  # the inline source when it is a literal (never run, only searched)
    image: bool = False                # PackageType: Image (no handler)
    environment: dict[str, Optional[Located]] = field(default_factory=dict)  # None value: not a literal
    environment_unknown: bool = False  # the variables are (partly) not literal (`!If`, a `${file()}`), or CDK
                                       # code may add some (`addEnvironment`, an aspect: `iac.cdk_environment`)
    layers: list[Optional[str]] = field(default_factory=list)  # layer logical ids built here, None: external/unknown
    layers_unknown: bool = False       # `Layers` is an intrinsic: there may be layers
    build: Optional[str] = None        # "esbuild" (SAM, serverless plugins, CDK NodejsFunction), other build methods
    entry_points: list[str] = field(default_factory=list)   # absolute source files the build starts from
    events: list[Event] = field(default_factory=list)
    durable: bool = False              # DurableConfig present
    function_name: Optional[Located] = None  # the deployed name when written literally (`FunctionName`)
    environment_refs: dict[str, tuple[str, str]] = field(default_factory=dict)  # variable -> (logical id,
                                       # attribute) for `!Ref X`, `!Ref X.Alias`, `!GetAtt X.Arn` values ("" for Ref)
    entry: Optional[str] = None        # CDK NodejsFunction / PythonFunction: the literal entry file (absolute)
    entry_located: Optional[Located] = None
    export: Optional[str] = None       # CDK NodejsFunction / PythonFunction: the handler export name
    plugin_modules: list[str] = field(default_factory=list)  # modules a plugin writes into the package
                                       # (serverless-wsgi's `wsgi_handler`): there at run time, not in the repo
    quiet: bool = False                # read for its handlers only: its template was not named in this run
    package_patterns: Optional[list[str]] = None  # Serverless `package.patterns` deciding what the package holds,
                                       # in order (None: none, or not judged: a build plugin, `include`/`exclude`)

    @property
    def runtime_name(self) -> Optional[str]:
        return self.runtime.value if self.runtime else None


@dataclass
class IacProject:
    """Every function the project's templates, `serverless.yml` files and CDK apps declare."""

    functions: list[IacFunction] = field(default_factory=list)
    layers: dict[tuple[str, str], Layer] = field(default_factory=dict)  # (template path, logical id) -> layer
    errors: list[Finding] = field(default_factory=list)   # E901 for templates that cannot be read
    templates: list[str] = field(default_factory=list)    # display paths read
    texts: dict[str, str] = field(default_factory=dict)   # display path -> text of each template read
    # Folders (absolute) of the templates read: those deploying to AWS, and Serverless Framework services
    # for another cloud (`provider.name: google`) -> the provider, whose code is no Lambda code (`providers`).
    aws_folders: set[str] = field(default_factory=set)
    other_clouds: dict[str, str] = field(default_factory=dict)
    provider_memo: dict[str, Optional[str]] = field(default_factory=dict)
    # Filled by `resolve`: function -> resolution.
    resolutions: dict[int, object] = field(default_factory=dict)

    def resolution(self, function: IacFunction):
        return self.resolutions.get(id(function))
