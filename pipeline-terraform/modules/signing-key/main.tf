data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name = "${var.name_prefix}-${var.environment}-provenance-signing"

  account_root_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # Principals are account roots narrowed with aws:PrincipalArn, as in artifact-bucket: the
  # build role lives in another account and may not exist yet (a role ARN as Principal must).
  signer_account_root_arns = distinct([
    for arn in var.signer_role_arns : "arn:${split(":", arn)[1]}:iam::${split(":", arn)[4]}:root"
  ])
  verifier_account_root_arns = distinct([
    for arn in var.verifier_role_arns : "arn:${split(":", arn)[1]}:iam::${split(":", arn)[4]}:root"
  ])

  # The account root gets administration but no kms:Sign: with the default key policy, any
  # principal of the account whose identity policy allowed kms:Sign could vouch for a build.
  key_policy = templatefile("${path.module}/policies/key.json.tftpl", {
    account_root_arn                = local.account_root_arn
    signer_account_root_arns_json   = jsonencode(local.signer_account_root_arns)
    signer_role_arns_json           = jsonencode(var.signer_role_arns)
    verifier_account_root_arns_json = jsonencode(local.verifier_account_root_arns)
    verifier_role_arns_json         = jsonencode(var.verifier_role_arns)
  })
}

resource "aws_kms_key" "this" {
  description              = "Signs build provenance (in-toto DSSE envelopes) of Lambda deployment packages"
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "ECC_NIST_P256"
  # Asymmetric keys cannot rotate automatically; replace the key and update
  # provenance.signingKeyArn to rotate (envelopes signed with the old key then stop verifying).
  enable_key_rotation     = false
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = local.key_policy
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this.key_id
}
