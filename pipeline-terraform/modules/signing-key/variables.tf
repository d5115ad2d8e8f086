variable "environment" {
  type        = string
  description = "Environment the key belongs to: the one that runs the promoter (usually ops). Part of its alias, so two installations in one account never collide."
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix, e.g. \"acme\". The key's alias is alias/<name_prefix>-<environment>-provenance-signing."
}

variable "signer_role_arns" {
  type        = list(string)
  description = "Roles that may sign provenance (kms:Sign, ECDSA_SHA_256, RAW messages only): the build role of the FIRST environment's function pipelines, where packages are built. ARN patterns are allowed. Their own identity policies must also allow kms:Sign on this key."

  validation {
    condition     = length(var.signer_role_arns) > 0 && alltrue([for arn in var.signer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "signer_role_arns must name at least one IAM role ARN (arn:aws:iam::<12-digit account>:role/...)."
  }
}

variable "verifier_role_arns" {
  type        = list(string)
  description = "Roles that verify provenance before promoting (kms:GetPublicKey, kms:Verify, kms:DescribeKey): the promote function's execution role, and the roles operators use for CLI promotions."

  validation {
    condition     = length(var.verifier_role_arns) > 0 && alltrue([for arn in var.verifier_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "verifier_role_arns must name at least one IAM role ARN (arn:aws:iam::<12-digit account>:role/...)."
  }
}

variable "deletion_window_in_days" {
  type        = number
  description = "Days between scheduling the key's deletion and its deletion (7-30). Once deleted, no envelope it signed can be verified again."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
