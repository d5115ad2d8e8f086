# Running code verified (issue 14): `status` and `verify` compare the CodeSha256 of each deployed
# function with the release at the drop key, through this role. GetFunctionConfiguration returns
# the hash without GetFunction's presigned code URL, so the role cannot download any function's
# code. In a file of its own while other changes land in main.tf and variables.tf.

variable "deployed_function_arns" {
  type        = list(string)
  description = "Lambda functions whose code hash the promoter may read (lambda:GetFunctionConfiguration); null for every function deployed_function_pattern names in this account; [] for none."
  default     = null
}

variable "deployed_function_pattern" {
  type        = string
  description = "The promoter's deployedFunctionPattern for this environment: {function} once, {environment} at most once (e.g. {function}-live). The read permission covers exactly the names it gives."
  default     = "{function}-{environment}"

  validation {
    condition     = length(split("{function}", var.deployed_function_pattern)) == 2 && can(regex("^[A-Za-z0-9_{}-]+$", var.deployed_function_pattern))
    error_message = "deployed_function_pattern must hold {function} exactly once and otherwise only A-Z a-z 0-9 - _ and {environment}."
  }
}

data "aws_partition" "deployed_code" {}

locals {
  deployed_function_arns = var.deployed_function_arns != null ? var.deployed_function_arns : [
    "arn:${data.aws_partition.deployed_code.partition}:lambda:*:${data.aws_caller_identity.current.account_id}:function:${replace(replace(var.deployed_function_pattern, "{function}", "*"), "{environment}", var.environment)}"
  ]
}

resource "aws_iam_role_policy" "read_deployed_code" {
  count = length(local.deployed_function_arns) > 0 ? 1 : 0

  name = "${local.name}-read-deployed-code"
  role = aws_iam_role.this.id
  policy = templatefile("${path.module}/policies/read-deployed-code.json.tftpl", {
    deployed_function_arns_json = jsonencode(local.deployed_function_arns)
  })
}
