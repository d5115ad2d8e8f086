variable "environment" {
  type        = string
  description = "Environment whose artifact bucket this role writes (dev, stage, prod, ...). Part of the role name."

  # Also the suffix the pipeline-jobs policy matches pipelines by (<function>-<environment>).
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits and hyphens (it ends the role name and the pipeline names this role reports jobs for)."
  }
}

variable "name_prefix" {
  type        = string
  description = "First part of the role name; the role is <name_prefix>-<environment>."
  default     = "artifact-promotion"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]+$", var.name_prefix))
    error_message = "name_prefix must use only the characters IAM allows in role names: A-Z a-z 0-9 + = , . @ _ -."
  }

  # Caught here rather than by CreateRole halfway through an apply.
  validation {
    condition     = length("${var.name_prefix}-${var.environment}") <= 64
    error_message = "name_prefix and environment are too long together: the role <name_prefix>-<environment> must fit IAM's 64 characters."
  }
}

variable "bucket_arn" {
  type        = string
  description = "ARN of this environment's artifact bucket (module artifact-bucket, output bucket_arn)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}$", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN (arn:aws:s3:::<bucket>)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the artifact bucket's KMS key (module artifact-bucket, output kms_key_arn)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "promoter_role_arn" {
  type        = string
  description = "ARN of the promote function's execution role (module promote-function, output execution_role_arn). The only principal this role trusts."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.promoter_role_arn))
    error_message = "promoter_role_arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>), not an account root."
  }
}

variable "external_id" {
  type        = string
  description = "ExternalId the promoter must present (the environment's \"externalId\" in PROMOTION_CONFIG)."
  sensitive   = true

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.external_id)) && length(var.external_id) >= 16 && length(var.external_id) <= 1224
    error_message = "external_id must be 16 to 1224 characters of [A-Za-z0-9+=,.@:/_-] (the STS ExternalId character set; 16+ so it is not guessable)."
  }
}

variable "source_environments" {
  type = map(object({
    bucket_arn  = string
    kms_key_arn = string
  }))
  description = "Environments this one is promoted FROM, by name: their artifact bucket and key. Each adds a read-only policy on its releases/* for server-side copy."
  default     = {}

  validation {
    condition = alltrue([
      for source in values(var.source_environments) :
      can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}$", source.bucket_arn)) && can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", source.kms_key_arn))
    ])
    error_message = "Each source environment needs an S3 bucket ARN and a KMS key ARN."
  }

  # Each name ends an inline policy name (<role>-read-<name>).
  validation {
    condition     = alltrue([for name in keys(var.source_environments) : can(regex("^[a-z0-9][a-z0-9-]*$", name))])
    error_message = "Each source_environments key must be an environment name: lowercase letters, digits and hyphens."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Longest session the role allows, in seconds (the promoter asks for 900)."
  default     = 3600
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "create_pipeline_job_access" {
  description = "Let the promote function report CodePipeline jobs of this account's pipelines (named <function>-<environment>) and read their approvals through this role. Needed when the function runs in another account and a pipeline here invokes it."
  type        = bool
  default     = true
}
