variable "environment" {
  type        = string
  description = "Environment this bucket belongs to (dev, stage, prod, ...). Part of every name, so two environments sharing an account never collide."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits and hyphens (it is part of the S3 bucket name and the KMS alias)."
  }
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique names, e.g. \"acme\". The bucket is <name_prefix>-<environment>-artifacts."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.name_prefix))
    error_message = "name_prefix must be lowercase letters, digits and hyphens (it starts an S3 bucket name)."
  }

  # Caught here rather than by CreateBucket halfway through an apply.
  validation {
    condition     = length("${var.name_prefix}-${var.environment}-artifacts") <= 63
    error_message = "name_prefix and environment are too long together: the bucket <name_prefix>-<environment>-artifacts must fit S3's 63 characters."
  }
}

variable "promotion_role_arn" {
  type        = string
  description = "ARN of this environment's promotion role (module promotion-role). It may be created after the bucket: policies match it with aws:PrincipalArn. Null for a bucket no promotion writes to (e.g. the ops account's package bucket); key_user_arns must then name someone."
  default     = null

  validation {
    condition     = var.promotion_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.promotion_role_arn))
    error_message = "promotion_role_arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)."
  }
}

variable "reader_role_arns" {
  type        = list(string)
  description = "Roles of other accounts that may read releases/* and decrypt them: the promotion roles of the NEXT environments (e.g. stage's role for the dev bucket, for server-side copy), or, for the ops package bucket, the pipeline roles that fetch the buildspec tools and the CLI (an ARN pattern with a role path, e.g. arn:aws:iam::222222222222:role/artifact-pipelines/*). Empty for the last environment."
  default     = []

  validation {
    condition     = alltrue([for arn in var.reader_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Each reader_role_arns entry must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)."
  }

  validation {
    condition     = alltrue([for arn in var.reader_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[^*?]", arn))])
    error_message = "A reader_role_arns pattern must start with a role path or name (e.g. role/artifact-pipelines/*): role/* would let every role of that account read the releases."
  }
}

variable "key_user_arns" {
  type        = list(string)
  description = "Other principals of THIS account that read or write artifacts with the bucket key: the pipeline and CodeBuild roles. ARN patterns are allowed (e.g. arn:aws:iam::111111111111:role/artifact-pipelines/*, the role path function-pipeline uses)."
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Each key_user_arns entry must be an IAM role ARN or ARN pattern in one account (arn:aws:iam::<12-digit account>:role/...)."
  }
}

variable "create_kms_key" {
  type        = bool
  description = "Create the customer-managed KMS key for the bucket. When false, kms_key_arn must be given and its key policy must grant what policies/key.json.tftpl grants."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of an existing KMS key (only when create_kms_key is false)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): the bucket policy compares uploads against the key ARN."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which a superseded object version (an older drop-key version) is deleted. Keep it longer than you might want to roll back to an old drop-key version."
  default     = 90
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  description = "Days after which an unfinished multipart upload (an interrupted large copy) is aborted and its parts deleted."
  default     = 7
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying the bucket while it still holds artifacts. Keep false outside of experiments."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "object_lock_retention_days" {
  type        = number
  description = "Turns on S3 Object Lock in GOVERNANCE mode with this default retention (days) for every new object version, so a release cannot be deleted or replaced within that time, even by a principal allowed to delete versions. Null (default) leaves Object Lock off. Object Lock needs versioning (always on here) and, once on, cannot be turned off again. Setting it on an existing bucket calls PutObjectLockConfiguration, which S3 accepts for versioned buckets; older provider versions could only set it at bucket creation. Drop-key versions are retained too: the promotion role may bypass governance retention on drop/* only, to take back a duplicate drop-key version."
  default     = null

  validation {
    condition     = var.object_lock_retention_days == null || try(var.object_lock_retention_days >= 1 && floor(var.object_lock_retention_days) == var.object_lock_retention_days, false)
    error_message = "object_lock_retention_days must be a whole number of days, at least 1, or null to leave Object Lock off."
  }
}
