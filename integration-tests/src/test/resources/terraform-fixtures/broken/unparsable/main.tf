# Deliberately unparsable: an unterminated string.
locals {
  x = "unterminated
}
