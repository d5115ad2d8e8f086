output "backend_config" {
  description = "Settings for ../backend.hcl (terraform init -backend-config=backend.hcl)."
  value = {
    bucket       = module.state_ops.bucket_name
    region       = module.state_ops.region
    kms_key_id   = module.state_ops.kms_key_arn
    encrypt      = true
    use_lockfile = true
    assume_role  = { role_arn = "arn:${var.partition}:iam::${var.ops_account_id}:role/${var.deploy_role_name}" }
  }
}

output "package_bucket_name" {
  description = "Where to upload the promote function's package (promoter_package_bucket of the example)."
  value       = module.packages_ops.bucket_name
}

output "package_kms_key_arn" {
  description = "KMS key of the package bucket."
  value       = module.packages_ops.kms_key_arn
}
