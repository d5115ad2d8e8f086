variable "environment" {
  type        = string
  description = "Environment of the account this pipeline deploys to (dev, stage, prod, ...). Part of every name."
}

variable "function_name" {
  type        = string
  description = "Function this pipeline builds, deploys and promotes (the \"function\" of promotion requests). Part of every name."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{0,63}$", var.function_name))
    error_message = "function_name must match [a-z0-9][a-z0-9-_]{0,63}, the names the promoter accepts."
  }
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique names (the pipeline artifact store bucket is <name_prefix>-<function_name>-<environment>-pipeline)."
}

variable "artifact_bucket_name" {
  type        = string
  description = "This account's artifact bucket (module artifact-bucket, output bucket_name). The build publishes to it; later accounts' pipelines start from its drop key."
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the artifact bucket's KMS key (module artifact-bucket, output kms_key_arn). Also encrypts the pipeline's artifact store."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "source_connection" {
  type = object({
    connection_arn = string
    repository     = string
    branch         = optional(string, "main")
  })
  description = "For the FIRST account only: the CodeConnections (CodeStar) connection, repository (owner/name) and branch to build from. When null the pipeline starts from the artifact bucket's drop key drop/<function_name>.zip."
  default     = null

  validation {
    condition     = var.source_connection == null || can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/.+$", var.source_connection.connection_arn))
    error_message = "source_connection.connection_arn must be a connection ARN (arn:aws:codeconnections:... or arn:aws:codestar-connections:...)."
  }
}

variable "function_source" {
  type = object({
    connection_arn = string
    repository     = string
    branch         = optional(string, "main")
  })
  description = "Later accounts (no source_connection): the function's own repository, through a CodeConnections connection of THIS account (connections cannot be used from another account), the repository (owner/name) and the branch the first account builds from. The Source stage fetches it as a full clone (CODEBUILD_CLONE_REF) without starting the pipeline (DetectChanges false: only the drop key does), and the deploy gets it as the secondary input function_source, where deploy.yml checks out exactly the package's git revision before Terraform runs. Required in later accounts: the drop key carries only the package."
  default     = null

  validation {
    condition     = var.function_source == null || can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/.+$", var.function_source.connection_arn))
    error_message = "function_source.connection_arn must be a connection ARN (arn:aws:codeconnections:... or arn:aws:codestar-connections:...)."
  }

  validation {
    condition     = var.function_source == null || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.function_source.repository))
    error_message = "function_source.repository must be the repository's full id, owner/name (GitLab: group/subgroup/name), not a clone URL."
  }

  validation {
    condition     = var.function_source == null || can(regex("^[^\\s~^:?*\\[\\\\]+$", var.function_source.branch)) && !startswith(try(var.function_source.branch, ""), "refs/")
    error_message = "function_source.branch must be a branch name (e.g. main), not a ref path (refs/heads/...) or a pattern."
  }
}

variable "create_artifact_store_bucket" {
  type        = bool
  description = "Create a bucket for the pipeline's own artifacts. When false, artifact_store_bucket_name must be given."
  default     = true
}

variable "artifact_store_bucket_name" {
  type        = string
  description = "Existing bucket for the pipeline's artifacts (only when create_artifact_store_bucket is false)."
  default     = null
}

variable "build_buildspec" {
  type        = string
  description = "Contents of the build stage's buildspec. Null means file(\"<repository>/buildspecs/build.yml\")."
  default     = null
}

variable "deploy_buildspec" {
  type        = string
  description = "Contents of the deploy stage's buildspec. Null means file(\"<repository>/buildspecs/deploy.yml\")."
  default     = null
}

variable "codebuild_image" {
  type        = string
  description = "CodeBuild image of the build and deploy projects."
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
}

variable "codebuild_compute_type" {
  type        = string
  description = "CodeBuild compute type."
  default     = "BUILD_GENERAL1_SMALL"
}

variable "codebuild_timeout_minutes" {
  type        = number
  description = "Build timeout of each CodeBuild project, in minutes."
  default     = 30
}

variable "terraform_backend" {
  type = object({
    bucket         = string
    region         = string
    kms_key_arn    = string
    dynamodb_table = optional(string)
  })
  description = "This account's Terraform state backend (module terraform-state, output backend). Passed to the deploy as TF_BACKEND_* variables."
}

variable "state_key" {
  type        = string
  description = "State object key of this function in the backend bucket. Null means <function_name>/terraform.tfstate."
  default     = null
}

variable "deployed_function_name" {
  type        = string
  description = "Name of the Lambda the function's own Terraform deploys in this account (the deploy role may update it). Null means <function_name>-<environment>."
  default     = null
}

variable "deploy_policy_arns" {
  type        = list(string)
  description = "Managed policies attached to the deploy role, for whatever else the function's Terraform manages (its execution role, triggers, ...)."
  default     = []

  validation {
    condition     = alltrue([for arn in var.deploy_policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "Each deploy_policy_arns entry must be an IAM policy ARN."
  }
}

variable "promotion" {
  type = object({
    to              = string
    function_arn    = string
    invoke_role_arn = optional(string)
  })
  description = "Where this account's releases go next: the destination environment, the promote function (live alias ARN) and, when the function is in another account, the role the Invoke action assumes (promote-function output pipeline_invoke_role_arn). Null for the last account."
  default     = null

  validation {
    condition     = var.promotion == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$", var.promotion.function_arn))
    error_message = "promotion.function_arn must be a Lambda function or alias ARN."
  }

  validation {
    condition     = var.promotion == null || try(var.promotion.invoke_role_arn == null, true) || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.promotion.invoke_role_arn))
    error_message = "promotion.invoke_role_arn must be an IAM role ARN."
  }
}

variable "approval_sns_topic_arn" {
  type        = string
  description = "SNS topic notified when a promotion waits for approval (optional)."
  default     = null

  validation {
    condition     = var.approval_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.approval_sns_topic_arn))
    error_message = "approval_sns_topic_arn must be an SNS topic ARN."
  }
}

variable "execution_mode" {
  type        = string
  description = "CodePipeline V2 execution mode. QUEUED keeps every revision (and its approval) instead of letting a newer one supersede it."
  default     = "QUEUED"

  validation {
    condition     = contains(["QUEUED", "SUPERSEDED", "PARALLEL"], var.execution_mode)
    error_message = "execution_mode must be QUEUED, SUPERSEDED or PARALLEL."
  }
}

variable "role_path" {
  type        = string
  description = "IAM path of the roles this module creates; artifact-bucket's key_user_arns can then name all pipeline roles of an account with one pattern."
  default     = "/artifact-pipelines/"
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the CodeBuild log groups, in days."
  default     = 90
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
