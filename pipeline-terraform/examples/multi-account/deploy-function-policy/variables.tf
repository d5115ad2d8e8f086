variable "environment" {
  type        = string
  description = "Environment of the account the function is deployed to (function-pipeline environment)."
}

variable "function_name" {
  type        = string
  description = "The function (function-pipeline function_name); the deployed Lambda is <function_name>-<environment>."
}

variable "tags" {
  type        = map(string)
  description = "Tags of the policy."
  default     = {}
}
