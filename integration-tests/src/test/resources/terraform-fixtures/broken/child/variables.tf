variable "environment" {
  type        = string
  description = "Environment."
}

variable "function_name" {
  type        = string
  description = "Function."
}

variable "optional_setting" {
  type        = string
  description = "Has a default, so callers may omit it."
  default     = null
}
