variable "environment" {
  type        = string
  description = "Environment of the account that runs the promoter (usually \"ops\", or \"dev\" when there is no ops account). Part of every name."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits and hyphens."
  }
}

variable "function_name" {
  type        = string
  description = "Base name of the promote function; the Lambda is <function_name>-<environment>."
  default     = "artifact-promoter"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.function_name))
    error_message = "function_name must be lowercase letters, digits and hyphens."
  }

  # The longest name built from it is the invoke role <function_name>-<environment>-invoke-<source
  # environment>, which IAM caps at 64 characters (the Lambda name itself at 64 too).
  validation {
    condition     = alltrue([for source in concat(["execution"], keys(var.pipeline_role_arns)) : length("${var.function_name}-${var.environment}-invoke-${source}") <= 64])
    error_message = "function_name and environment are too long together: the roles <function_name>-<environment>-execution and <function_name>-<environment>-invoke-<source environment> must fit IAM's 64 characters."
  }
}

variable "s3_bucket" {
  type        = string
  description = "Bucket holding the promote function's package (functions/promote-lambda/target/promote-lambda-<version>-lambda.jar)."
}

variable "s3_key" {
  type        = string
  description = "Key of the package in s3_bucket."
}

variable "s3_object_version" {
  type        = string
  description = "Version id of the package object. Pinning the version makes every upload of a new package a change Terraform applies (e.g. data \"aws_s3_object\" ... .version_id)."
}

variable "handler" {
  type        = string
  description = "Handler of the promote function."
  default     = "org.artifactpromoter.lambda.PromoteHandler::handleRequest"
}

variable "runtime" {
  type        = string
  description = "Lambda runtime."
  default     = "java17"

  validation {
    condition     = contains(["java17", "java21"], var.runtime)
    error_message = "runtime must be java17 or java21 (the package is built for Java 17)."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the function (the package is pure Java, both work)."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  type        = number
  description = "Memory in MB. Also buys CPU and network bandwidth, which a streamed copy of a large package needs."
  default     = 1024
}

variable "timeout" {
  type        = number
  description = "Timeout in seconds. Copies that outlive one invocation continue through CodePipeline continuation tokens."
  default     = 900
}

variable "snap_start" {
  type        = bool
  description = "Enable Lambda SnapStart on published versions (the live alias points at a published version)."
  default     = true
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's CloudWatch log group, in days."
  default     = 90
}

variable "log_level" {
  type        = string
  description = "Application log level (PROMOTION_LOG_LEVEL and the Lambda JSON log level)."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "environments" {
  type = map(object({
    account     = string
    region      = string
    bucket      = string
    role        = string
    external_id = string
    kms_key_arn = optional(string)
    # Whether a promotion into the environment needs an approval (requireApproval).
    require_approval = optional(bool, true)
    # The environment's pipelines ({function} and {environment} are replaced): function-pipeline's naming.
    pipelines = optional(list(string), ["{function}-{environment}"])
    # The Lambda function that runs a function in this environment; null: {function}-<environment>.
    deployed_function_pattern = optional(string)
    # The artifact-bucket module's policy refuses writes to releases/* without If-None-Match,
    # so true is the only value that works on buckets it creates.
    conditional_writes = optional(bool, true)
  }))
  description = "Environments the promoter knows, by name: account id, region, artifact bucket, promotion role ARN, ExternalId, bucket KMS key ARN, whether promotions into it require approval (require_approval, default true), its pipeline name patterns (pipelines, default [\"{function}-{environment}\"]), the deployed function's name pattern (deployed_function_pattern, e.g. {function}-live) and conditional_writes (default true: the bucket refuses a second write at a release key, as the artifact-bucket module's policy makes it; false only for a store that ignores If-None-Match). Rendered into PROMOTION_CONFIG; marked sensitive because of the ExternalIds."
  sensitive   = true

  validation {
    condition     = alltrue([for env in values(var.environments) : length(env.pipelines) > 0 && alltrue([for p in env.pipelines : can(regex("^([A-Za-z0-9.@_-]|\\{function\\}|\\{environment\\})+$", p))])])
    error_message = "Each environment's pipelines must be a non-empty list of pipeline names; {function} and {environment} are replaced."
  }

  validation {
    condition     = alltrue([for env in values(var.environments) : can(regex("^[0-9]{12}$", env.account))])
    error_message = "Each environment's account must be a 12-digit AWS account id."
  }

  validation {
    condition     = alltrue([for env in values(var.environments) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", env.role)) && split(":", env.role)[4] == env.account])
    error_message = "Each environment's role must be an IAM role ARN in that environment's account."
  }

  validation {
    condition     = alltrue([for env in values(var.environments) : env.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", env.kms_key_arn))])
    error_message = "Each environment's kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "provenance" {
  type = object({
    signing_key_arn = string
    required        = bool
  })
  description = "Signed build provenance (PROMOTION_CONFIG provenance): the KMS key ARN that signs it (signing-key module output key_arn) and whether a release without a valid envelope is refused (true) or promoted when it has none (false, while releases published before signing remain). The execution role gets kms:GetPublicKey on the key. null: provenance is neither checked nor required."
  default     = null

  validation {
    # Only a key ARN: whoever may re-point an alias could make every envelope they sign verify.
    condition     = var.provenance == null || can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/(mrk-)?[0-9a-f-]{32,36}$", var.provenance.signing_key_arn))
    error_message = "provenance.signing_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id>), not an alias or a key id."
  }
}

variable "promotions" {
  type        = map(list(string))
  description = "Allowed promotions: source environment => destination environments, e.g. { dev = [\"stage\"], stage = [\"prod\"] }."
}

variable "copy" {
  type = object({
    mode                      = optional(string, "server-side")
    multipart_threshold_bytes = optional(number, 5368709120)
    part_size_bytes           = optional(number, 536870912)
    max_concurrency           = optional(number, 4)
  })
  description = "How packages are copied: server-side (the destination role reads the source release) or streamed (source role reads, destination role writes)."
  default     = {}

  validation {
    condition     = contains(["server-side", "streamed"], var.copy.mode)
    error_message = "copy.mode must be \"server-side\" or \"streamed\"."
  }
}

variable "create_pipeline_invoke_role" {
  type        = bool
  description = "Create one role per pipeline_role_arns entry that pipelines of that source environment assume (Invoke action role_arn) to invoke the live alias."
  default     = true
}

variable "pipeline_role_arns" {
  type        = map(list(string))
  description = "Per source environment (a key of promotions): the pipeline service roles allowed to assume that environment's invoke role, as ARNs or ARN patterns (function-pipeline output pipeline_role_arn_pattern, e.g. arn:aws:iam::222222222222:role/artifact-pipelines/codepipeline/*). The trust policy names their accounts' roots only together with an aws:PrincipalArn condition on these, so a pattern must name a role path or name, not every role of an account."
  default     = {}

  validation {
    condition     = alltrue([for source in keys(var.pipeline_role_arns) : contains(keys(var.promotions), source)])
    error_message = "Each pipeline_role_arns key must be a source environment of promotions: only environments that promote invoke the function."
  }

  validation {
    condition     = alltrue([for arns in values(var.pipeline_role_arns) : length(arns) > 0])
    error_message = "Each pipeline_role_arns entry must name at least one pipeline role."
  }

  validation {
    condition     = alltrue(flatten([for arns in values(var.pipeline_role_arns) : [for arn in arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))]]))
    error_message = "Each pipeline_role_arns entry must be an IAM role ARN or ARN pattern naming one 12-digit account."
  }

  validation {
    condition     = alltrue(flatten([for arns in values(var.pipeline_role_arns) : [for arn in arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[^*?]", arn))]]))
    error_message = "A pipeline_role_arns pattern must start with a role path or name (e.g. role/artifact-pipelines/codepipeline/*): role/* would let every role of that account invoke the promote function."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "event_bus_arn" {
  type        = string
  description = "ARN of the EventBridge bus the function publishes promotion events to; null for the default bus of the function's account and region."
  default     = null

  validation {
    condition     = var.event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[/._A-Za-z0-9-]+$", var.event_bus_arn))
    error_message = "event_bus_arn must be an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>), or null for the default bus."
  }
}

variable "create_promotion_alerts" {
  type        = bool
  description = "Create an SNS topic and an EventBridge rule that sends it refused and failed promotions, and every promotion into alert_environments."
  default     = true
}

variable "alert_environments" {
  type        = list(string)
  description = "Environments every successful promotion into which is sent to the alerts topic (refusals and failures always are)."
  default     = ["prod"]
}
