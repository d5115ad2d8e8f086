variable "environment" {
  type        = string
  description = "Environment this account serves (dev, stage, prod, ops, ...). Part of every name, so two environments sharing an account never collide."
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique names, e.g. \"acme\". The state bucket is <name_prefix>-<environment>-tfstate."
}

variable "create_kms_key" {
  type        = bool
  description = "Create a customer-managed KMS key for the state bucket and lock table. When false, kms_key_arn must be given."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of an existing KMS key to encrypt state with (only when create_kms_key is false)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or key id."
  }
}

variable "create_lock_table" {
  type        = bool
  description = "Create a DynamoDB table for state locking. When false, deploys use S3 native locking (use_lockfile, Terraform >= 1.10)."
  default     = false
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which superseded state versions are deleted."
  default     = 365
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying the state bucket while it still holds state. Keep false outside of experiments."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
