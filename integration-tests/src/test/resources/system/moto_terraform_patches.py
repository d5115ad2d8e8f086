# Patches applied to moto 5.2 before the server starts, for SystemIT only: each works around one
# way the emulator differs from AWS for what Terraform and the example need. The product's HCL
# stays as it would be on AWS; nothing here loosens a check the product relies on.
import json
import re

import moto.codebuild.responses as codebuild_responses
import moto.codepipeline.models as codepipeline_models
import moto.iam.access_control as access_control
import moto.s3.responses as s3_responses

# CodeBuild CreateProject demands a `location` for CODEPIPELINE sources and artifacts; AWS takes
# none (the pipeline supplies them), and the provider sends none.
_validate_source = codebuild_responses._validate_required_params_source
_validate_artifacts = codebuild_responses._validate_required_params_artifacts


def _source_without_location_for_codepipeline(source):
    if source.get("type") != "CODEPIPELINE":
        _validate_source(source)


def _artifacts_without_location_for_codepipeline(artifacts):
    if artifacts.get("type") != "CODEPIPELINE":
        _validate_artifacts(artifacts)


codebuild_responses._validate_required_params_source = _source_without_location_for_codepipeline
codebuild_responses._validate_required_params_artifacts = _artifacts_without_location_for_codepipeline

# CodeBuild ignores a project's encryptionKey and reports alias/aws/s3 for every project, so the
# customer-managed key the module sets would read back as a change on every plan.
_create_project = codebuild_responses.CodeBuildResponse.create_project


def _create_project_keeping_encryption_key(self):
    body = _create_project(self)
    key = self._get_param("encryptionKey")
    if key:
        project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
        project.project_metadata["encryptionKey"] = key
        body = json.dumps({"project": project.project_metadata})
    return body


codebuild_responses.CodeBuildResponse.create_project = _create_project_keeping_encryption_key

# CodePipeline GetPipeline returns metadata.created/updated as ISO strings; the API (and the
# provider's SDK) has epoch seconds there, and fails to read the pipeline otherwise.
codepipeline_models.CodePipeline.metadata = property(
    lambda self: {
        "pipelineArn": self._arn,
        "created": self._created.timestamp(),
        "updated": self._updated.timestamp(),
    }
)

# Policy evaluation: moto decides a statement with a Condition it has no request values for
# (every bucket-policy check: moto passes no request context there) as if the condition held, so
# the artifact buckets' conditional Deny statements apply to every request (the TLS-only deny
# refuses plain HTTP on loopback, the KMS-key deny refuses uploads that name the right key), and
# an Allow whose condition fails turns into a Deny. Here a statement applies only when moto can
# evaluate its condition and it holds; trust policies (ExternalId, SourceIdentity) still are.
_is_action_permitted = access_control.IAMPolicyStatement.is_action_permitted


def _statement_applies_only_when_its_condition_holds(
    self, action, resource="*", principal=None, incoming_condition_values=None
):
    if self._statement.get("Condition") and (
        not incoming_condition_values or not self._check_conditions(incoming_condition_values)
    ):
        return access_control.PermissionResult.NEUTRAL
    return _is_action_permitted(self, action, resource, principal, incoming_condition_values)


access_control.IAMPolicyStatement.is_action_permitted = _statement_applies_only_when_its_condition_holds

# The trust-policy check reads Principal.AWS only and crashes (TypeError) on a statement whose
# principal is a Service: such a statement never matches a caller with credentials.
_check_principal = access_control.IAMPolicyStatement._check_principal


def _service_principal_matches_no_caller(self, principal):
    expected = self._statement.get("Principal")
    if isinstance(expected, dict) and "AWS" not in expected:
        return False
    return _check_principal(self, principal)


access_control.IAMPolicyStatement._check_principal = _service_principal_matches_no_caller

# GetBucketNotificationConfiguration leaves out EventBridgeConfiguration although
# PutBucketNotificationConfiguration stored it: the artifact buckets' EventBridge switch would
# read back as off on every plan.
_get_bucket_notification = s3_responses.S3Response.get_bucket_notification


def _bucket_notification_with_eventbridge(self):
    response = _get_bucket_notification(self)
    configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
    if configuration is None or configuration.event_bridge is None:
        return response
    status, headers, body = response
    text = body.decode() if isinstance(body, bytes) else body
    flag = "<EventBridgeConfiguration></EventBridgeConfiguration>"
    if "EventBridgeConfiguration" not in text:
        # Either <NotificationConfiguration .../> (nothing else configured) or a closed element.
        text = re.sub(r"<NotificationConfiguration([^>]*)/>", r"<NotificationConfiguration\1>" + flag + "</NotificationConfiguration>", text)
        text = text.replace("</NotificationConfiguration>", flag + "</NotificationConfiguration>", 1) if flag not in text else text
    headers = dict(headers or {})
    headers.pop("Content-Length", None)
    headers.pop("content-length", None)
    return status, headers, text.encode()


s3_responses.S3Response.get_bucket_notification = _bucket_notification_with_eventbridge

# Lambda drops a function's LoggingConfig (JSON log format, log group, levels) and SnapStart
# (ApplyOn): the promote function's logging_config and snap_start would read back as absent, and
# every plan would update the function and publish a new version behind the live alias.
import moto.awslambda.models as lambda_models  # noqa: E402

_lambda_init = lambda_models.LambdaFunction.__init__
_lambda_configuration = lambda_models.LambdaFunction.get_configuration
_lambda_update = lambda_models.LambdaFunction.update_configuration


def _lambda_init_keeping_logging_config(self, account_id, spec, region, version=1):
    _lambda_init(self, account_id, spec, region, version)
    self.logging_config = spec.get("LoggingConfig")
    self.snap_start_kept = spec.get("SnapStart")


def _lambda_configuration_with_logging_config(self, on_create=False):
    config = _lambda_configuration(self, on_create)
    if getattr(self, "logging_config", None):
        config["LoggingConfig"] = self.logging_config
    snap_start = getattr(self, "snap_start_kept", None)
    if snap_start and snap_start.get("ApplyOn", "None") != "None":
        config["SnapStart"] = {"ApplyOn": snap_start["ApplyOn"], "OptimizationStatus": "On"}
    return config


def _lambda_update_keeping_logging_config(self, config_updates):
    if "LoggingConfig" in config_updates:
        self.logging_config = config_updates["LoggingConfig"]
    if "SnapStart" in config_updates:
        self.snap_start_kept = config_updates["SnapStart"]
    return _lambda_update(self, config_updates)


lambda_models.LambdaFunction.__init__ = _lambda_init_keeping_logging_config
lambda_models.LambdaFunction.get_configuration = _lambda_configuration_with_logging_config
lambda_models.LambdaFunction.update_configuration = _lambda_update_keeping_logging_config

# CodeBuild DeleteProject takes a project's name or ARN; the provider sends the ARN (the
# resource's id), and moto looks it up as a name: the project outlives terraform destroy.
import moto.codebuild.models as codebuild_models  # noqa: E402

_delete_project = codebuild_models.CodeBuildBackend.delete_project


def _delete_project_by_name_or_arn(self, project_name):
    if project_name.startswith("arn:") and ":project/" in project_name:
        project_name = project_name.split(":project/", 1)[1]
    return _delete_project(self, project_name)


codebuild_models.CodeBuildBackend.delete_project = _delete_project_by_name_or_arn

# KMS, for signed provenance (the key is in ops; dev's build signs, ops' promote function reads
# the public key). Three gaps, each making a grant AWS honours fail or one it refuses pass:
import moto.kms.responses as kms_responses
from moto.kms.models import kms_backends

_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):key/.+$")


def _kms_key_id_param(response):
    try:
        key_id = json.loads(response.body or "{}").get("KeyId")
    except ValueError:
        return None
    return key_id if isinstance(key_id, str) else None


# 1. moto looks every key up in the caller's own account, so a key ARN of another account is
#    "not found"; AWS uses the account and region the ARN names (the key policy then decides).
def _kms_backend_of_the_key_arn(self):
    match = _KMS_KEY_ARN.match(_kms_key_id_param(self) or "")
    if match:
        return kms_backends[match.group(2)][match.group(1)]
    return kms_backends[self.current_account][self.region]


kms_responses.KmsResponse.kms_backend = property(_kms_backend_of_the_key_arn)


# 2. moto authorizes KMS calls against Resource "*", so an identity policy scoped to a key ARN
#    (what the modules grant) never matches; AWS authorizes against the key's ARN.
def _kms_resource_is_the_key(self):
    key_id = _kms_key_id_param(self)
    if key_id and _KMS_KEY_ARN.match(key_id):
        return key_id
    return "*"


kms_responses.KmsResponse._determine_resource = _kms_resource_is_the_key

# 3. moto passes no request context to identity policies, so (with the condition handling above)
#    an Allow conditioned on kms:SigningAlgorithm / kms:MessageType never applies; AWS sets both
#    keys from the Sign/Verify request (MessageType defaults to RAW).
# 4. moto never evaluates a key policy's Allow statements (only Deny, and only for DescribeKey);
#    AWS needs the key policy to allow a cross-account caller, and a same-account caller too unless
#    it delegates to IAM. For the calls provenance makes, the key policy is evaluated here as AWS
#    does for the statements the signing-key module writes: Principal (account root or role ARN),
#    ArnLike/ArnEquals aws:PrincipalArn (the role's ARN with its path) and StringEquals on kms:*
#    request keys. Any other condition operator makes the statement not apply (fail closed).
import fnmatch

_KEY_POLICY_ACTIONS = ("kms:Sign", "kms:Verify", "kms:GetPublicKey")
_check_action_permitted = access_control.IAMRequest.check_action_permitted


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _principal_arn(request):
    role_name = getattr(request._access_key, "_owner_role_name", None)
    if role_name is None:
        return request._access_key.arn
    return request._access_key.backend.get_role(role_name).arn


def _key_policy_allows(request, key_arn, context):
    match = _KMS_KEY_ARN.match(key_arn)
    backend = kms_backends[match.group(2)][match.group(1)]
    key = backend.keys.get(backend.get_key_id(key_arn))
    if key is None:
        return True  # moto answers NotFound itself
    principal_arn = _principal_arn(request)
    caller_root = "arn:aws:iam::%s:root" % request._access_key.account_id
    values = dict(context, **{"aws:PrincipalArn": principal_arn})
    for statement in json.loads(key.policy).get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(request._action, a) for a in _as_list(statement.get("Action", []))):
            continue
        principals = _as_list(statement.get("Principal", {}).get("AWS", []))
        if "*" not in principals and caller_root not in principals and principal_arn not in principals:
            continue
        holds = True
        for operator, conditions in statement.get("Condition", {}).items():
            for name, expected in conditions.items():
                actual = values.get(name)
                if operator in ("ArnLike", "ArnEquals"):
                    holds &= actual is not None and any(fnmatch.fnmatchcase(actual, e) for e in _as_list(expected))
                elif operator == "StringEquals":
                    holds &= actual is not None and actual in _as_list(expected)
                else:
                    holds = False
        if holds:
            return True
    return False


def _check_action_permitted_with_kms_request_context(self, resource):
    if self._action not in _KEY_POLICY_ACTIONS:
        return _check_action_permitted(self, resource)
    try:
        request = json.loads(self._body or "{}")
    except ValueError:
        request = {}
    context = {}
    if self._action != "kms:GetPublicKey":
        context = {
            "kms:SigningAlgorithm": request.get("SigningAlgorithm", ""),
            "kms:MessageType": request.get("MessageType", "RAW"),
        }
    permitted = False
    for policy in self._access_key.collect_policies():
        result = access_control.IAMPolicy(policy).is_action_permitted(
            self._action, resource, None, context or None
        )
        if result == access_control.PermissionResult.DENIED:
            self._raise_access_denied()
        elif result == access_control.PermissionResult.PERMITTED:
            permitted = True
    if not permitted:
        self._raise_access_denied()
    if _KMS_KEY_ARN.match(resource) and not _key_policy_allows(self, resource, context):
        self._raise_access_denied()


access_control.IAMRequest.check_action_permitted = _check_action_permitted_with_kms_request_context


# 5. The same for IAM: moto passes no iam:PermissionsBoundary to identity policies, so an Allow
#    conditioned on it (the deploy role may create the function's execution role, and put policies
#    on it, only with the boundary the example made for it) never applies. AWS takes the key from
#    CreateRole's (and PutRolePermissionsBoundary's) PermissionsBoundary parameter, and for other
#    calls on a role from the boundary the role carries; without a boundary the key is absent.
_BOUNDARY_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
)
_check_action_permitted_without_boundary = access_control.IAMRequest.check_action_permitted


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _permissions_boundary_of_the_request(request):
    if request._action in ("iam:CreateRole", "iam:PutRolePermissionsBoundary"):
        return _first(request._data.get("PermissionsBoundary"))
    try:
        role = request.backend.get_role(_first(request._data.get("RoleName")))
    except Exception:  # no such role: moto answers NoSuchEntity itself
        return None
    return role.permissions_boundary_arn or None


def _check_action_permitted_with_permissions_boundary(self, resource):
    if self._action not in _BOUNDARY_ACTIONS:
        return _check_action_permitted_without_boundary(self, resource)
    boundary = _permissions_boundary_of_the_request(self)
    context = {"iam:PermissionsBoundary": boundary} if boundary else None
    permitted = False
    for policy in self._access_key.collect_policies():
        result = access_control.IAMPolicy(policy).is_action_permitted(
            self._action, resource, None, context
        )
        if result == access_control.PermissionResult.DENIED:
            self._raise_access_denied()
        elif result == access_control.PermissionResult.PERMITTED:
            permitted = True
    if not permitted:
        self._raise_access_denied()


access_control.IAMRequest.check_action_permitted = _check_action_permitted_with_permissions_boundary


# Lambda, CloudWatch Logs and IAM, for the deploy role applying a function's Terraform: moto
# authorizes Lambda and Logs calls against Resource "*", and an IAM call against the role's ARN only
# once the role exists ("*" for CreateRole), so an identity policy scoped to the function, its log
# group or its execution role (what deploy roles are given) never matches and everything is denied.
# AWS authorizes each call against the resource it names; so is it here. A grant scoped to another
# name stays refused, which is what makes "the deploy role may manage this function and nothing
# more" testable.
from urllib.parse import unquote, urlparse

import moto.awslambda.responses as lambda_responses
import moto.iam.responses as iam_responses
import moto.logs.responses as logs_responses

_LAMBDA_FUNCTION_PATH = re.compile(r"^/[0-9-]+/functions/([^/]+)")
_LAMBDA_TAGS_PATH = re.compile(r"^/[0-9-]+/tags/(.+)$")


def _json_body(response):
    try:
        body = json.loads(response.body or "{}")
    except (TypeError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def _lambda_resource_is_the_function(self):
    path = urlparse(self.uri).path
    tags = _LAMBDA_TAGS_PATH.match(path)
    if tags:
        return unquote(tags.group(1))
    function = _LAMBDA_FUNCTION_PATH.match(path)
    name = unquote(function.group(1)) if function else None
    if name is None and self.method == "POST" and path.rstrip("/").endswith("/functions"):
        name = _json_body(self).get("FunctionName")  # CreateFunction
    if not isinstance(name, str) or not name:
        return "*"
    if name.startswith("arn:"):
        return name
    # A name, or name:qualifier; authorized against the function's ARN as AWS does.
    return "arn:aws:lambda:%s:%s:function:%s" % (self.region, self.current_account, name)


lambda_responses.LambdaResponse._determine_resource = _lambda_resource_is_the_function


def _logs_resource_is_the_log_group(self):
    body = _json_body(self)
    for key in ("resourceArn", "logGroupIdentifier"):
        value = body.get(key)
        if isinstance(value, str) and value.startswith("arn:"):
            return value
    name = body.get("logGroupName") or body.get("logGroupIdentifier")
    if isinstance(name, str) and name:
        return "arn:aws:logs:%s:%s:log-group:%s" % (self.region, self.current_account, name)
    # DescribeLogGroups (by prefix or none): every log group of the account and region.
    return "arn:aws:logs:%s:%s:log-group:*" % (self.region, self.current_account)


logs_responses.LogsResponse._determine_resource = _logs_resource_is_the_log_group

_iam_determine_resource = iam_responses.IamResponse._determine_resource


def _iam_resource_is_the_role_even_before_it_exists(self):
    resource = _iam_determine_resource(self)
    if resource == "*" and "RoleName" in self.data:
        path = (self.data.get("Path") or ["/"])[0]
        return "arn:aws:iam::%s:role%s%s" % (self.current_account, path, self.data["RoleName"][0])
    return resource


iam_responses.IamResponse._determine_resource = _iam_resource_is_the_role_even_before_it_exists

# Under enforcement moto checks a request's signature over a payload rebuilt from its parsed
# parameters when the body is empty, and for Lambda's REST API (GetFunction, ListVersionsByFunction,
# ...) those are the request headers: every signed Lambda read fails with SignatureDoesNotMatch.
# A request without a body is signed over the empty payload, by the SDKs as by AWS; so it is
# checked here (the signature itself still is).
_create_aws_request = access_control.IAMRequestBase._create_aws_request


def _bodyless_request_is_signed_over_an_empty_payload(self):
    request = _create_aws_request(self)
    if self._method in ("GET", "HEAD", "DELETE") and not self._body:
        request.data = b""
    return request


access_control.IAMRequestBase._create_aws_request = _bodyless_request_is_signed_over_an_empty_payload
