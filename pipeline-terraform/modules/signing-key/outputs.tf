output "key_arn" {
  description = "ARN of the signing key: provenance.signingKeyArn in PROMOTION_CONFIG (a key ARN, not the alias: an alias can be re-pointed)."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the signing key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the signing key, for people; configuration uses key_arn."
  value       = aws_kms_alias.this.name
}
