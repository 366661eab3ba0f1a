"""Configuration shared by the approval workflow."""
from aws_durable_execution_sdk_python.config import CallbackConfig, Duration

APPROVAL_CONFIG = CallbackConfig(timeout=Duration.from_hours(24), heartbeat_timeout=Duration.from_hours(1))
