variable "environment" {
  type        = string
  description = "Environment of the account this pipeline deploys to (dev, stage, prod, ...). Part of every name."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits and hyphens (it is part of S3 bucket and IAM role names)."
  }
}

variable "function_name" {
  type        = string
  description = "Function this pipeline builds, deploys and promotes (the \"function\" of promotion requests). Part of every name."

  # Stricter than the promoter's [a-z0-9][a-z0-9-_]{0,63}: the name is part of an S3 bucket name
  # (no underscores, at most 63 characters) and of IAM role and EventBridge rule names (at most
  # 64), so anything looser passes here and fails halfway through an apply.
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.function_name))
    error_message = "function_name must be lowercase letters, digits and hyphens, starting with a letter or digit (it is part of the pipeline's S3 bucket name, which allows no underscores)."
  }

  validation {
    condition     = length("${var.function_name}-${var.environment}-pipeline") <= 64
    error_message = "function_name and environment are too long together: the pipeline role <function_name>-<environment>-pipeline must fit IAM's 64 characters (and the rule <function_name>-<environment>-drop-key EventBridge's 64)."
  }

  validation {
    condition     = !var.create_artifact_store_bucket || length("${var.name_prefix}-${var.function_name}-${var.environment}-pipeline") <= 63
    error_message = "name_prefix, function_name and environment are too long together: the artifact store bucket <name_prefix>-<function_name>-<environment>-pipeline must fit S3's 63 characters (or set create_artifact_store_bucket = false and artifact_store_bucket_name)."
  }
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique names (the pipeline artifact store bucket is <name_prefix>-<function_name>-<environment>-pipeline)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.name_prefix))
    error_message = "name_prefix must be lowercase letters, digits and hyphens (it starts an S3 bucket name)."
  }
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

variable "provenance" {
  type = object({
    signing_key_arn = string
  })
  description = "Signed build provenance, first account only: the KMS key ARN that signs it (signing-key module output key_arn; the promote function's provenance.signing_key_arn). The build role gets kms:Sign on this key alone (ECDSA_SHA_256, RAW messages) and the build project PROMOTION_SIGNING_KEY_ARN, so publish writes a signed envelope beside each release. An object rather than a bare ARN so that whether to grant is known at plan time while the key is still to be created. null: no grant, and publish signs nothing."
  default     = null

  validation {
    # A key ARN, not an alias: the grant and the promoter's check must name the same key.
    condition     = var.provenance == null || can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/(mrk-)?[0-9a-f-]{32,36}$", var.provenance.signing_key_arn))
    error_message = "provenance.signing_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id>), not an alias or a key id."
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

  # A variable validation rather than a precondition on the bucket: with
  # create_artifact_store_bucket = false that resource does not exist, so its checks never run.
  validation {
    condition     = var.create_artifact_store_bucket == (var.artifact_store_bucket_name == null)
    error_message = "Set artifact_store_bucket_name exactly when create_artifact_store_bucket is false."
  }

  validation {
    condition     = var.artifact_store_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.artifact_store_bucket_name, "xxx")))
    error_message = "artifact_store_bucket_name must be an S3 bucket name."
  }
}

variable "build_buildspec" {
  type        = string
  description = "Contents of the build stage's buildspec. Null means the module's own copy of buildspecs/build.yml."
  default     = null
}

variable "deploy_buildspec" {
  type        = string
  description = "Contents of the deploy stage's buildspec. Null means the module's own copy of buildspecs/deploy.yml."
  default     = null
}

variable "buildspec_tools" {
  type = object({
    bucket              = string
    bundle_key          = string
    bundle_sha256       = string
    promoter_cli_key    = string
    promoter_cli_sha256 = string
    kms_key_arn         = optional(string)
  })
  description = "Where the build and deploy fetch what the buildspecs run: the zip of this repository's buildspecs/ (buildspecs/package-tools.sh) and the promoter CLI jar (artifact-promoter.jar) of one release, in a versioned bucket (usually the ops account's package bucket, under releases/artifact-promoter/<version>/), each with its SHA-256 (hex). The projects get them as BUILDSPEC_TOOLS_* and PROMOTER_CLI_*; the buildspecs refuse either file unless its SHA-256 matches. kms_key_arn: the bucket's KMS key, when it is not this account's (the roles get kms:Decrypt on it). The bucket's policy must let this account's roles read both keys (artifact-bucket reader_role_arns, e.g. arn:aws:iam::<account>:role/artifact-pipelines/*)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.buildspec_tools.bucket))
    error_message = "buildspec_tools.bucket must be an S3 bucket name (not an s3:// URI or ARN)."
  }

  validation {
    condition     = alltrue([for sha in [var.buildspec_tools.bundle_sha256, var.buildspec_tools.promoter_cli_sha256] : can(regex("^[0-9a-f]{64}$", sha))])
    error_message = "buildspec_tools.bundle_sha256 and promoter_cli_sha256 must be SHA-256 digests in lowercase hex (sha256sum prints them)."
  }

  validation {
    condition     = alltrue([for key in [var.buildspec_tools.bundle_key, var.buildspec_tools.promoter_cli_key] : can(regex("^[A-Za-z0-9!_.*'()/-]+$", key)) && !startswith(key, "/")])
    error_message = "buildspec_tools.bundle_key and promoter_cli_key must be object keys without a leading slash (e.g. releases/artifact-promoter/1.4.0/buildspec-tools.zip)."
  }

  validation {
    condition     = var.buildspec_tools.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.buildspec_tools.kms_key_arn))
    error_message = "buildspec_tools.kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "terraform_download_base_url" {
  type        = string
  description = "Where the deploy fetches the Terraform release zip pinned in deploy.yml (<base>/<version>/terraform_<version>_linux_<arch>.zip, SHA-256 checked) when the build image has no terraform of that version. TERRAFORM_DOWNLOAD_BASE_URL of the deploy project."
  default     = "https://releases.hashicorp.com/terraform"

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.terraform_download_base_url))
    error_message = "terraform_download_base_url must be an https:// URL."
  }
}

variable "function_dir" {
  type        = string
  description = "The function's Maven project relative to its repository's root (FUNCTION_DIR of both projects); its Terraform is <function_dir>/terraform unless terraform_dir says otherwise."
  default     = "."

  validation {
    condition     = !startswith(var.function_dir, "/") && !contains(split("/", var.function_dir), "..")
    error_message = "function_dir must be relative to the repository's root and stay inside it."
  }
}

variable "terraform_dir" {
  type        = string
  description = "The function's Terraform relative to its repository's root (TF_DIR of the deploy). Null means <function_dir>/terraform."
  default     = null

  validation {
    condition     = var.terraform_dir == null || (!startswith(coalesce(var.terraform_dir, "."), "/") && !contains(split("/", coalesce(var.terraform_dir, ".")), ".."))
    error_message = "terraform_dir must be relative to the repository's root and stay inside it."
  }
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

variable "deploy_terraform_variables" {
  type        = map(string)
  description = "Input variables of the function's Terraform that differ per account (e.g. the permissions boundary its execution role must carry), by name: the deploy project holds each as TF_VAR_<name>. Not secrets: CodeBuild shows plaintext variables to anyone who can read the project."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.deploy_terraform_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_-]*$", name))])
    error_message = "Each deploy_terraform_variables key must be a Terraform variable name (letters, digits, _ and -, not starting with a digit)."
  }

  # deploy.yml sets these with -var for exactly the package it deploys; a TF_VAR_ would be ignored.
  validation {
    condition     = length(setintersection(keys(var.deploy_terraform_variables), ["package_bucket", "package_key", "package_version_id", "git_revision"])) == 0
    error_message = "package_bucket, package_key, package_version_id and git_revision are set by the deploy for the package it deploys; they cannot come from deploy_terraform_variables."
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
  description = "IAM path of the roles this module creates; artifact-bucket's key_user_arns can then name them all with one pattern (output role_arn_pattern). Pipeline roles get <role_path>codepipeline/, so promote-function can trust them alone (output pipeline_role_arn_pattern)."
  default     = "/artifact-pipelines/"

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.role_path)) && length(var.role_path) <= 500
    error_message = "role_path must start and end with / (e.g. /artifact-pipelines/)."
  }
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
